package dev.earshot.audio;

import dev.earshot.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes WAV files (16-bit PCM or 32-bit float, any channel count), atomically ({@link AtomicFile}).
 */
public final class WavWriter {
  /** Sample coding of the written file. */
  public enum Coding {
    /** 16-bit signed PCM; samples are clipped to [-1, 1) and rounded. */
    PCM16,
    /** 32-bit IEEE float, stored exactly. */
    FLOAT32
  }

  private WavWriter() {}

  /** Writes a mono waveform. */
  public static void write(Path file, Waveform waveform, Coding coding) throws IOException {
    write(file, new float[][] {waveform.samples()}, waveform.sampleRateHz(), coding);
  }

  /** Writes {@code channels[c][i]} interleaved. */
  public static void write(Path file, float[][] channels, int sampleRateHz, Coding coding) throws IOException {
    byte[] bytes = encode(channels, sampleRateHz, coding);
    AtomicFile.write(file, bytes);
  }

  /** The complete file as bytes (RIFF header, fmt and data chunks). */
  public static byte[] encode(float[][] channels, int sampleRateHz, Coding coding) {
    int numChannels = channels.length;
    int frames = channels[0].length;
    int bytesPerSample = coding == Coding.PCM16 ? 2 : 4;
    int dataBytes = frames * numChannels * bytesPerSample;
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) (coding == Coding.PCM16 ? 1 : 3)).putShort((short) numChannels);
    b.putInt(sampleRateHz).putInt(sampleRateHz * numChannels * bytesPerSample);
    b.putShort((short) (numChannels * bytesPerSample)).putShort((short) (8 * bytesPerSample));
    b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (int i = 0; i < frames; i++) {
      for (float[] channel : channels) {
        float v = channel[i];
        if (coding == Coding.PCM16) {
          long q = Math.round(v * 32768.0);
          b.putShort((short) Math.max(-32768, Math.min(32767, q)));
        } else {
          b.putFloat(v);
        }
      }
    }
    return b.array();
  }
}
