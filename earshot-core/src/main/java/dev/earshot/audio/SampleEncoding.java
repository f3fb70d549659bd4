package dev.earshot.audio;

/** How samples are stored in an audio file before decoding to float. */
public enum SampleEncoding {
  /** Unsigned integer PCM (8-bit WAV); zero level at 2^(bits-1). */
  PCM_UNSIGNED,
  /** Two's complement integer PCM. */
  PCM_SIGNED,
  /** IEEE 754 float (32 or 64 bit). */
  IEEE_FLOAT,
  /** FLAC lossless coding of signed integer samples. */
  FLAC,
  /**
   * Any other codec (MP3, Vorbis, Opus, AAC, ...), decoded by an {@link ExternalDecoder} such as
   * earshot-ffmpeg; {@link AudioFormat#container()} names the container and codec.
   */
  COMPRESSED
}
