package dev.earshot.audio;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A decoder for containers and codecs beyond the built-in WAV and FLAC readers (MP3, Ogg Vorbis, Opus,
 * M4A/AAC, ...), found on the class path with {@link java.util.ServiceLoader}. earshot-ffmpeg provides one;
 * {@link AudioFile} hands it every input that is not WAV or FLAC, and WAV files whose codec the built-in
 * reader does not decode (ADPCM, mu-law, ...).
 *
 * <p>Implementations are thread-safe, report every failure as an {@link AudioInputException} starting with
 * the source name, and never open anything the input names (other files, URLs).
 */
public interface ExternalDecoder {

  /** Name and version for messages and {@code earshot info}, for example {@code "FFmpeg 8.0.1 (LGPL v3)"}. */
  String name();

  /** File name extensions (lower case, with the dot) that folder scans should pick up for this decoder. */
  List<String> fileExtensions();

  /** Decodes a whole file held in memory. */
  MultichannelAudio decode(byte[] bytes, String source);

  /** Opens a file for decoding in chunks. */
  AudioStream open(Path file);

  /** Decodes a stream in chunks without seeking (containers that need seeking fail with a clear error). */
  AudioStream open(InputStream in, String source);

  /** Decodes a file held in memory in chunks (seekable, so every container works). */
  default AudioStream open(byte[] bytes, String source) {
    return open(new java.io.ByteArrayInputStream(bytes), source);
  }
}
