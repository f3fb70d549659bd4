package dev.earshot.audio;

import dev.earshot.audio.AudioInputException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads audio files. The container is recognised from the first bytes, not from the file name: WAV
 * (RIFF/RF64, see {@link WavDecoder}) and FLAC (see {@link FlacDecoder}).
 *
 * <p>Every failure is an {@link AudioInputException} naming the file and the problem. Methods are
 * stateless and safe to call from many threads.
 */
public final class AudioFile {
  private static final int HEAD_BYTES = 64 * 1024;

  private AudioFile() {}

  /** Decodes every channel of {@code file} within {@link AudioLimits#current()}. */
  public static MultichannelAudio read(Path file) {
    return read(file, AudioLimits.current());
  }

  /** Decodes every channel of {@code file}; rate, length and memory are checked against {@code limits}. */
  public static MultichannelAudio read(Path file, AudioLimits limits) {
    return decode(file, readBytes(file, Long.MAX_VALUE), limits);
  }

  /** Decodes a file's bytes already in memory ({@code file} names it in errors). */
  static MultichannelAudio decode(Path file, byte[] bytes, AudioLimits limits) {
    try {
      if (WavDecoder.accepts(bytes)) {
        return WavDecoder.decode(file, bytes, limits);
      }
      if (FlacDecoder.accepts(bytes)) {
        return FlacDecoder.decode(file, bytes, limits);
      }
    } catch (OutOfMemoryError e) {
      // the limits keep allocations within the heap budget; this is what is left when other threads raced us
      throw new AudioInputException(file, Problem.TOO_LARGE, "ran out of memory while decoding", e);
    }
    throw unrecognised(file, bytes);
  }

  /** Reads only what is needed to describe the file's format (for FLAC and WAV: the header). */
  public static AudioFormat probe(Path file) {
    byte[] head = readBytes(file, HEAD_BYTES);
    if (WavDecoder.accepts(head)) {
      // The WAV header can sit after large LIST chunks; fall back to the whole file if needed.
      try {
        return WavDecoder.probe(file, head);
      } catch (AudioInputException e) {
        return WavDecoder.probe(file, readBytes(file, Long.MAX_VALUE));
      }
    }
    if (FlacDecoder.accepts(head)) {
      try {
        return FlacDecoder.probe(file, head);
      } catch (AudioInputException e) {
        return FlacDecoder.probe(file, readBytes(file, Long.MAX_VALUE));
      }
    }
    throw unrecognised(file, head);
  }

  private static AudioInputException unrecognised(Path file, byte[] bytes) {
    if (bytes.length == 0) {
      return new AudioInputException(file, Problem.EMPTY, "the file is empty (0 bytes)");
    }
    String what = describeMagic(bytes);
    return new AudioInputException(
        file, Problem.UNSUPPORTED_FORMAT, "unrecognised audio container" + what + "; earshot reads WAV and FLAC");
  }

  private static String describeMagic(byte[] b) {
    if (b.length >= 4 && b[0] == 'O' && b[1] == 'g' && b[2] == 'g' && b[3] == 'S') {
      return " (Ogg)";
    }
    if (b.length >= 3 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
      return " (ID3 tag, probably MP3)";
    }
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0) {
      return " (MPEG audio frame, probably MP3)";
    }
    if (b.length >= 4 && b[0] == 'F' && b[1] == 'O' && b[2] == 'R' && b[3] == 'M') {
      return " (AIFF)";
    }
    if (b.length >= 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
      return " (MP4/M4A)";
    }
    return "";
  }

  private static byte[] readBytes(Path file, long limit) {
    try (InputStream in = Files.newInputStream(file)) {
      if (limit == Long.MAX_VALUE) {
        long size = Files.size(file);
        String memory = dev.earshot.HeapBudget.shortfall(Math.max(size, 0), "reading the " + size + "-byte file");
        if (memory != null || size > Integer.MAX_VALUE - 8) {
          throw new AudioInputException(file, Problem.TOO_LARGE, memory != null ? memory
              : "the file is larger than 2 GB; earshot decodes files up to 2 GB");
        }
        return in.readAllBytes();
      }
      return in.readNBytes((int) limit);
    } catch (NoSuchFileException e) {
      throw new AudioInputException(file, Problem.NOT_FOUND, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new AudioInputException(file, Problem.UNREADABLE, "permission denied", e);
    } catch (IOException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (Files.isDirectory(file)) {
        reason = "is a directory, not an audio file";
      }
      throw new AudioInputException(file, Problem.UNREADABLE, reason, e);
    } catch (OutOfMemoryError e) {
      throw new AudioInputException(file, Problem.TOO_LARGE, "too large to read into memory", e);
    }
  }
}
