package dev.earshot.audio;

import dev.earshot.audio.AudioInputException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads audio from files, byte arrays and streams. The container is recognised from the first bytes, not
 * from the name: WAV (RIFF/RF64, see {@link WavDecoder}) and FLAC (see {@link FlacDecoder}) are decoded by
 * earshot itself; everything else (MP3, Ogg Vorbis, Opus, M4A/AAC, ...) by an {@link ExternalDecoder} on the
 * class path — earshot-ffmpeg, which the command line includes.
 *
 * <p>Every failure is an {@link AudioInputException} naming the input and the problem. In-memory input is
 * named by the display name the caller gives (an upload's file name, a URI). Methods are stateless and safe
 * to call from many threads.
 */
public final class AudioFile {
  private static final int HEAD_BYTES = 64 * 1024;
  /** FLAC files up to this size are streamed by earshot's own decoder (checks CRCs and MD5) from memory. */
  private static final long FLAC_IN_MEMORY_BYTES = 64L << 20;
  private static final List<String> BUILT_IN_EXTENSIONS = List.of(".wav", ".wave", ".flac");

  private AudioFile() {}

  /** Decodes every channel of {@code file}. */
  public static MultichannelAudio read(Path file) {
    return read(file, AudioLimits.current());
  }

  /** Decodes every channel of {@code file}; rate, length and memory are checked against {@code limits}. */
  public static MultichannelAudio read(Path file, AudioLimits limits) {
    byte[] bytes = readBytes(file, Long.MAX_VALUE);
    try {
      return decode(bytes, file.toString(), file, limits);
    } catch (AudioInputException e) {
      throw e.file() == null ? e.withFile(file) : e;
    }
  }

  /**
   * Decodes every channel of a file held in memory.
   *
   * @param bytes the whole file
   * @param name a display name for messages (file name, URI)
   */
  public static MultichannelAudio read(byte[] bytes, String name) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return decode(bytes, name, null, AudioLimits.current());
    } catch (AudioInputException e) {
      throw Objects.equals(e.source(), name) ? e : e.withSource(name);
    }
  }

  /**
   * Decodes every channel of a stream, read to its end (the stream is not closed). For recordings too long
   * for memory use {@link #stream(InputStream, String)}.
   */
  public static MultichannelAudio read(InputStream in, String name) {
    byte[] bytes;
    try {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new AudioInputException(name, Problem.UNREADABLE, String.valueOf(e.getMessage()), e);
    } catch (OutOfMemoryError e) {
      throw new AudioInputException(name, Problem.UNSUPPORTED_FORMAT, "too large to decode in memory", e);
    }
    return read(bytes, name);
  }

  /**
   * Opens a file for decoding in chunks, in memory bounded by the chunk size: WAV is read as it is decoded,
   * other formats by the external decoder as it decodes. FLAC is decoded by earshot in memory up to 64 MiB
   * and by the external decoder beyond (lossless either way, the samples are the same), if there is one.
   */
  public static AudioStream stream(Path file) {
    return withinLimits(openStream(file), file.toString());
  }

  private static AudioStream openStream(Path file) {
    byte[] head = readBytes(file, HEAD_BYTES);
    if (WavDecoder.accepts(head)) {
      try {
        return WavStream.open(file);
      } catch (AudioInputException e) {
        Optional<ExternalDecoder> external = ExternalDecoders.first();
        if (e.problem() == Problem.UNSUPPORTED_FORMAT && external.isPresent()) {
          return externalOrOriginal(() -> external.get().open(file), e);
        }
        throw e;
      }
    }
    Optional<ExternalDecoder> external = ExternalDecoders.first();
    if (FlacDecoder.accepts(head)) {
      if (external.isPresent() && size(file) > FLAC_IN_MEMORY_BYTES) {
        return external.get().open(file);
      }
      return new DecodedAudioStream(read(file), file.toString());
    }
    if (head.length > 0 && external.isPresent()) {
      return external.get().open(file);
    }
    throw unrecognised(file.toString(), head).withFile(file);
  }

  /**
   * Decodes a file held in memory in chunks: the decoded samples never need to fit in memory at once (an
   * upload of compressed audio can expand tenfold), while every container works as from a file.
   */
  public static AudioStream stream(byte[] bytes, String name) {
    return withinLimits(openStream(bytes, name), name);
  }

  private static AudioStream openStream(byte[] bytes, String name) {
    Optional<ExternalDecoder> external = ExternalDecoders.first();
    if (WavDecoder.accepts(bytes)) {
      try {
        return WavStream.open(new java.io.ByteArrayInputStream(bytes), name);
      } catch (AudioInputException e) {
        if (e.problem() == Problem.UNSUPPORTED_FORMAT && external.isPresent()) {
          return externalOrOriginal(() -> external.get().open(bytes, name), e);
        }
        throw e;
      }
    }
    if (FlacDecoder.accepts(bytes)) {
      return new DecodedAudioStream(read(bytes, name), name);
    }
    if (bytes.length > 0 && external.isPresent()) {
      return external.get().open(bytes, name);
    }
    throw unrecognised(name, bytes);
  }

  /**
   * Decodes a stream in chunks (the stream is closed with the returned {@link AudioStream}). WAV is read
   * sequentially by earshot; other formats by the external decoder, without seeking — containers that need
   * to seek (an MP4 whose index sits at the end) fail with a clear error: read those with
   * {@link #read(InputStream, String)} or from a file.
   */
  public static AudioStream stream(InputStream in, String name) {
    return withinLimits(openStream(in, name), name);
  }

  private static AudioStream openStream(InputStream in, String name) {
    java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(in, HEAD_BYTES);
    byte[] head;
    try {
      buffered.mark(HEAD_BYTES);
      head = buffered.readNBytes(64);
      buffered.reset();
    } catch (IOException e) {
      throw new AudioInputException(name, Problem.UNREADABLE, String.valueOf(e.getMessage()), e);
    }
    if (WavDecoder.accepts(head)) {
      return WavStream.open(buffered, name);
    }
    if (FlacDecoder.accepts(head)) {
      return new DecodedAudioStream(read(buffered, name), name);
    }
    Optional<ExternalDecoder> external = ExternalDecoders.first();
    if (head.length > 0 && external.isPresent()) {
      return external.get().open(buffered, name);
    }
    throw unrecognised(name, head);
  }

  /** Reads only what is needed to describe the file's format (for FLAC and WAV: the header). */
  public static AudioFormat probe(Path file) {
    byte[] head = readBytes(file, HEAD_BYTES);
    if (WavDecoder.accepts(head)) {
      // The WAV header can sit after large LIST chunks; fall back to the whole file if needed.
      try {
        return WavDecoder.probe(file, head);
      } catch (AudioInputException e) {
        if (e.problem() == Problem.UNSUPPORTED_FORMAT && ExternalDecoders.first().isPresent()) {
          try (AudioStream s = stream(file)) {
            return s.format();
          }
        }
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
    if (head.length > 0 && ExternalDecoders.first().isPresent()) {
      try (AudioStream s = ExternalDecoders.first().get().open(file)) {
        return s.format();
      }
    }
    throw unrecognised(file.toString(), head).withFile(file);
  }

  /**
   * File name extensions that folder scans pick up: .wav, .wave and .flac, and those of the external
   * decoders on the class path (for earshot-ffmpeg .mp3, .ogg, .opus, .m4a, ...), lower case with the dot.
   */
  public static List<String> fileExtensions() {
    List<String> out = new ArrayList<>(BUILT_IN_EXTENSIONS);
    for (ExternalDecoder d : ExternalDecoders.all()) {
      for (String e : d.fileExtensions()) {
        if (!out.contains(e)) {
          out.add(e);
        }
      }
    }
    return List.copyOf(out);
  }

  /** True when the file name ends with one of {@link #fileExtensions()} (case-insensitive). */
  public static boolean hasAudioExtension(Path file) {
    Path name = file.getFileName();
    if (name == null) {
      return false;
    }
    String n = name.toString().toLowerCase(Locale.ROOT);
    return fileExtensions().stream().anyMatch(n::endsWith);
  }

  /** The external decoders on the class path, by name (empty when only WAV and FLAC are readable). */
  public static List<String> externalDecoders() {
    return ExternalDecoders.all().stream().map(ExternalDecoder::name).toList();
  }

  /** Decodes a file's bytes already in memory ({@code file} names it in errors), within {@code limits}. */
  static MultichannelAudio decode(Path file, byte[] bytes, AudioLimits limits) {
    return decode(bytes, file.toString(), file, limits);
  }

  private static MultichannelAudio decode(byte[] bytes, String name, Path file, AudioLimits limits) {
    try {
      return decodeWithin(bytes, name, file, limits);
    } catch (OutOfMemoryError e) {
      // the limits keep allocations within the heap budget; this is what is left when other threads raced us
      throw new AudioInputException(file, Problem.TOO_LARGE, "ran out of memory while decoding", e).withSource(name);
    }
  }

  /** Refuses decoded audio whose sampling rate is outside {@code limits} (from the external decoder). */
  private static MultichannelAudio withinLimits(MultichannelAudio audio, AudioLimits limits) {
    limits.checkRate(null, audio.sampleRateHz());
    return audio;
  }

  /**
   * Refuses a stream whose sampling rate is outside {@link AudioLimits} (whichever decoder opened it); streams
   * have no length limit, their memory is bounded by the chunk size.
   */
  private static AudioStream withinLimits(AudioStream stream, String name) {
    try {
      AudioLimits.current().checkRate(null, stream.format().sampleRateHz());
      return stream;
    } catch (AudioInputException e) {
      try {
        stream.close();
      } catch (RuntimeException ignored) {
        // the rate error is the one to report
      }
      throw e.withSource(name);
    }
  }

  private static MultichannelAudio decodeWithin(byte[] bytes, String name, Path file, AudioLimits limits) {
    if (WavDecoder.accepts(bytes)) {
      try {
        return WavDecoder.decode(file, bytes, limits);
      } catch (AudioInputException e) {
        Optional<ExternalDecoder> external = ExternalDecoders.first();
        if (e.problem() == Problem.UNSUPPORTED_FORMAT && external.isPresent()) {
          return withinLimits(externalOrOriginal(() -> external.get().decode(bytes, name), e), limits);
        }
        throw e;
      }
    }
    if (FlacDecoder.accepts(bytes)) {
      return FlacDecoder.decode(file, bytes, limits);
    }
    Optional<ExternalDecoder> external = ExternalDecoders.first();
    if (bytes.length > 0 && external.isPresent()) {
      return withinLimits(external.get().decode(bytes, name), limits);
    }
    throw unrecognised(name, bytes);
  }

  /** A WAV codec earshot does not decode goes to the external decoder; if that fails too, the WAV error stands. */
  private static <T> T externalOrOriginal(java.util.function.Supplier<T> external, AudioInputException original) {
    try {
      return external.get();
    } catch (AudioInputException ignored) {
      throw original;
    }
  }

  private static AudioInputException unrecognised(String name, byte[] bytes) {
    if (bytes.length == 0) {
      return new AudioInputException(name, Problem.EMPTY, "the file is empty (0 bytes)", null);
    }
    String what = describeMagic(bytes);
    String hint = ExternalDecoders.all().isEmpty()
        ? "; earshot reads WAV and FLAC (add earshot-ffmpeg to the class path for MP3, Ogg, Opus, M4A, ...)"
        : "";
    return new AudioInputException(name, Problem.UNSUPPORTED_FORMAT, "unrecognised audio container" + what + hint,
        null);
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

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new AudioInputException(file, Problem.UNREADABLE, String.valueOf(e.getMessage()), e);
    }
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
