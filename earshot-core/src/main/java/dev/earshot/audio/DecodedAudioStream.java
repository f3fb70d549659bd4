package dev.earshot.audio;

/** An {@link AudioStream} over audio already decoded in memory. */
final class DecodedAudioStream implements AudioStream {
  private final MultichannelAudio audio;
  private final String source;
  private int position;

  DecodedAudioStream(MultichannelAudio audio, String source) {
    this.audio = audio;
    this.source = source;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public AudioFormat format() {
    return audio.format();
  }

  @Override
  public int read(float[][] buffer) {
    int n = Math.min(buffer[0].length, audio.length() - position);
    if (n <= 0) {
      return -1;
    }
    for (int c = 0; c < buffer.length; c++) {
      System.arraycopy(audio.channels()[c], position, buffer[c], 0, n);
    }
    position += n;
    return n;
  }

  @Override
  public MultichannelAudio readFully() {
    if (position == 0) {
      position = audio.length();
      return audio;
    }
    return AudioStream.super.readFully();
  }

  @Override
  public void close() {}
}
