package dev.earshot.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.features.FrontEnd;
import dev.earshot.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives a typed error that names the file and the problem; never wrong samples. */
class BadAudioInputTest {
  @TempDir Path dir;

  private static byte[] tone(int n, WavWriter.Coding coding) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.5 * Math.sin(i * 0.05));
    }
    return WavWriter.encode(new float[][] {x}, 16000, coding);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static void assertProblem(Path file, Problem problem, String messagePart) {
    assertThatThrownBy(() -> AudioFile.read(file))
        .isInstanceOfSatisfying(AudioInputException.class, e -> {
          assertThat(e.problem()).isEqualTo(problem);
          assertThat(e.file()).isEqualTo(file);
          assertThat(e.getMessage()).startsWith(file.toString() + ": ").contains(messagePart);
        });
  }

  @Test
  void missingFile() {
    assertProblem(dir.resolve("nope.wav"), Problem.NOT_FOUND, "no such file");
  }

  @Test
  void directoryIsNotAudio() {
    assertProblem(dir, Problem.UNREADABLE, "directory");
  }

  @Test
  void emptyFile() throws IOException {
    assertProblem(write("empty.wav", new byte[0]), Problem.EMPTY, "empty");
  }

  @Test
  void truncatedHeader() throws IOException {
    byte[] full = tone(1000, WavWriter.Coding.PCM16);
    assertProblem(write("hdr.wav", Arrays.copyOf(full, 8)), Problem.UNSUPPORTED_FORMAT, "unrecognised");
    assertProblem(write("hdr2.wav", Arrays.copyOf(full, 30)), Problem.TRUNCATED, "fmt chunk truncated");
  }

  @Test
  void truncatedData() throws IOException {
    byte[] full = tone(1000, WavWriter.Coding.PCM16);
    assertProblem(write("data.wav", Arrays.copyOf(full, full.length - 100)), Problem.TRUNCATED,
        "declares 2000 bytes but only 1900 follow");
  }

  @Test
  void zeroLengthData() throws IOException {
    assertProblem(write("zero.wav", WavWriter.encode(new float[][] {new float[0]}, 16000, WavWriter.Coding.PCM16)),
        Problem.EMPTY, "no samples");
  }

  @Test
  void corruptHeader() throws IOException {
    byte[] bytes = tone(100, WavWriter.Coding.PCM16);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(32, (short) 3); // block align
    assertProblem(write("align.wav", bytes), Problem.CORRUPT, "block align 3");
    byte[] noChannels = tone(100, WavWriter.Coding.PCM16);
    ByteBuffer.wrap(noChannels).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 0);
    assertProblem(write("chan.wav", noChannels), Problem.CORRUPT, "0 channels");
    byte[] noData = Arrays.copyOf(tone(100, WavWriter.Coding.PCM16), 36);
    assertProblem(write("nodata.wav", noData), Problem.CORRUPT, "no data chunk");
  }

  @Test
  void unsupportedCodecs() throws IOException {
    byte[] mp3InWav = tone(100, WavWriter.Coding.PCM16);
    ByteBuffer.wrap(mp3InWav).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 0x55);
    assertProblem(write("mp3.wav", mp3InWav), Problem.UNSUPPORTED_FORMAT, "MP3 (0x0055)");
    byte[] alaw = tone(100, WavWriter.Coding.PCM16);
    ByteBuffer.wrap(alaw).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 6);
    assertProblem(write("alaw.wav", alaw), Problem.UNSUPPORTED_FORMAT, "A-law");
    byte[] ogg = "OggS\0\2\0\0\0\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertProblem(write("x.ogg", ogg), Problem.UNSUPPORTED_FORMAT, "(Ogg)");
    byte[] id3 = "ID3\4\0\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertProblem(write("x.mp3", id3), Problem.UNSUPPORTED_FORMAT, "MP3");
    byte[] pcm12 = tone(100, WavWriter.Coding.PCM16);
    ByteBuffer.wrap(pcm12).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 12);
    assertProblem(write("pcm12.wav", pcm12), Problem.UNSUPPORTED_FORMAT, "12-bit integer PCM");
  }

  @Test
  void nonFiniteSamples() throws IOException {
    float[] x = new float[50];
    x[17] = Float.NaN;
    assertProblem(write("nan.wav", WavWriter.encode(new float[][] {x}, 16000, WavWriter.Coding.FLOAT32)),
        Problem.NON_FINITE_SAMPLES, "sample 17 of channel 0 is NaN");
    x[17] = Float.POSITIVE_INFINITY;
    assertProblem(write("inf.wav", WavWriter.encode(new float[][] {x}, 16000, WavWriter.Coding.FLOAT32)),
        Problem.NON_FINITE_SAMPLES, "Infinity");
  }

  @Test
  void clipShorterThanOneFrame() throws IOException {
    Path file = write("short.wav", tone(399, WavWriter.Coding.PCM16));
    assertThatThrownBy(() -> FrontEnd.ast(1024).process(file))
        .isInstanceOfSatisfying(AudioInputException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.TOO_SHORT);
          assertThat(e.getMessage()).startsWith(file + ": clip has 399 samples, shorter than one 25.0 ms frame");
        });
  }

  @Test
  void flacTruncatedAndCorrupt() throws IOException {
    byte[] flac = Files.readAllBytes(Fixtures.path("/fixtures/frontend/audio/speech_22k05_flac_l8.flac"));
    assertProblem(write("cut.flac", Arrays.copyOf(flac, flac.length - 500)), Problem.TRUNCATED, "");
    assertProblem(write("meta.flac", Arrays.copyOf(flac, 20)), Problem.TRUNCATED, "metadata");
    byte[] flipped = flac.clone();
    flipped[flac.length / 2] ^= 0x10;
    assertThatThrownBy(() -> AudioFile.read(write("flip.flac", flipped)))
        .isInstanceOfSatisfying(AudioInputException.class,
            e -> assertThat(e.problem()).isIn(Problem.CORRUPT));
  }

  @Test
  void flacWithoutMd5StillDecodesAndBadMd5IsCaught() throws IOException {
    Path noMd5 = Fixtures.path("/fixtures/frontend/audio/speech_22k05_flac_l5nomd5.flac");
    Path withMd5 = Fixtures.path("/fixtures/frontend/audio/speech_22k05_flac_l5.flac");
    assertThat(AudioFile.read(noMd5).channels()[0]).isEqualTo(AudioFile.read(withMd5).channels()[0]);
    byte[] bytes = Files.readAllBytes(withMd5);
    // STREAMINFO starts at byte 8 (after "fLaC" and the block header); its MD5 is the last 16 of 34 bytes.
    bytes[8 + 18] ^= 1;
    assertProblem(write("md5.flac", bytes), Problem.CORRUPT, "MD5");
  }
}
