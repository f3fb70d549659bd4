package dev.earshot.audio;

import java.io.ByteArrayOutputStream;

/** Hand-built FLAC streams for hostile-input tests and fuzz seeds: mono, 16 bit, CONSTANT subframes. */
final class FlacStreams {
  private FlacStreams() {}

  /**
   * {@code fLaC}, a STREAMINFO announcing {@code announcedSamples} at {@code rate} (no MD5), then
   * {@code frames} frames of {@code blockSize} equal samples each (13 bytes per frame).
   */
  static byte[] constantFrames(int rate, long announcedSamples, int frames, int blockSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'f', 'L', 'a', 'C', (byte) 0x80, 0, 0, 34});
    byte[] info = new byte[34];
    int declared = Math.min(blockSize, 65535); // 16 bits in STREAMINFO
    info[0] = (byte) (declared >> 8);
    info[1] = (byte) declared;
    info[2] = (byte) (declared >> 8);
    info[3] = (byte) declared;
    // 20 bits rate, 3 bits channels-1 (0), 5 bits bits-1 (15), 36 bits total samples
    long packed = ((long) rate << 44) | (0L << 41) | (15L << 36) | (announcedSamples & 0xFFFFFFFFFL);
    for (int i = 0; i < 8; i++) {
      info[10 + i] = (byte) (packed >>> (56 - 8 * i));
    }
    out.writeBytes(info);
    for (int f = 0; f < frames; f++) {
      byte[] frame = new byte[13];
      frame[0] = (byte) 0xFF;
      frame[1] = (byte) 0xF8; // sync, fixed block size
      frame[2] = (byte) 0x70; // block size: 16 bits follow; rate: from STREAMINFO
      frame[3] = 0x00; // mono, bits from STREAMINFO, reserved 0
      frame[4] = 0x00; // frame number 0 (UTF-8 coded)
      frame[5] = (byte) ((blockSize - 1) >> 8);
      frame[6] = (byte) (blockSize - 1);
      frame[7] = (byte) FlacBitReader.crc8(frame, 0, 7);
      frame[8] = 0x00; // CONSTANT subframe, no wasted bits
      frame[9] = 0x01;
      frame[10] = 0x00; // the constant value
      int crc = FlacBitReader.crc16(frame, 0, 11);
      frame[11] = (byte) (crc >> 8);
      frame[12] = (byte) crc;
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }
}
