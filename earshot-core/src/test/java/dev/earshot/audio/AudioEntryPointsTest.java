package dev.earshot.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path, byte[] and InputStream entry points, and chunked streams, give the same samples as
 * {@link AudioFile#read(Path)} for every WAV/FLAC fixture; errors on in-memory input carry its display name.
 */
class AudioEntryPointsTest {
  private static final List<String> FIXTURES = List.of("chirp_16k_pcm16.wav", "stereo_16k_pcm24.wav",
      "tones_16k_u8.wav", "noise_fullscale_16k_float.wav", "chirp_48k_double.wav", "quad_16k_wavex.wav",
      "clicks_16k_pcm32.wav", "stereo_44k1_flac24.flac", "speech_22k05_flac_l8.flac");

  @TempDir Path dir;

  @Test
  void everyEntryPointDecodesTheSameSamples() throws Exception {
    for (String name : FIXTURES) {
      Path file = Fixtures.path("/fixtures/frontend/audio/" + name);
      MultichannelAudio expected = AudioFile.read(file);
      byte[] bytes = Files.readAllBytes(file);
      assertSame(name, expected, AudioFile.read(bytes, name));
      assertSame(name, expected, AudioFile.read(new ByteArrayInputStream(bytes), name));
      for (int chunk : new int[] {7, 777, 1 << 16}) {
        try (AudioStream s = AudioFile.stream(file)) {
          assertThat(s.format().channels()).isEqualTo(expected.format().channels());
          assertSame(name + " chunk " + chunk, expected, readInChunks(s, chunk));
        }
        try (AudioStream s = AudioFile.stream(new ByteArrayInputStream(bytes), name)) {
          assertSame(name + " stream chunk " + chunk, expected, readInChunks(s, chunk));
        }
      }
    }
  }

  @Test
  void wavHeaderBehindALargeChunkIsFound() throws Exception {
    float[] x = new float[3000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.01);
    }
    byte[] plain = WavWriter.encode(new float[][] {x}, 16000, WavWriter.Coding.PCM16);
    // insert a 200 kB LIST chunk between "fmt " (ends at byte 36) and "data"
    int listSize = 200_000;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 36);
    out.write(new byte[] {'L', 'I', 'S', 'T'});
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(listSize).array());
    out.write(new byte[listSize]);
    out.write(plain, 36, plain.length - 36);
    byte[] bytes = out.toByteArray();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, bytes.length - 8);
    Path file = dir.resolve("list.wav");
    Files.write(file, bytes);
    MultichannelAudio whole = AudioFile.read(file);
    try (AudioStream s = AudioFile.stream(file)) {
      assertSame("list", whole, readInChunks(s, 1000));
    }
  }

  @Test
  void truncatedWavStreamFailsWhereItEnds() throws Exception {
    byte[] full = WavWriter.encode(new float[][] {new float[100_000]}, 16000, WavWriter.Coding.PCM16);
    byte[] cut = Arrays.copyOf(full, full.length - 1000);
    assertThatThrownBy(() -> {
      try (AudioStream s = AudioFile.stream(new ByteArrayInputStream(cut), "mic")) {
        readInChunks(s, 512);
      }
    }).isInstanceOfSatisfying(AudioInputException.class, e -> {
      assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
      assertThat(e.getMessage()).startsWith("mic: stream ends after 99500 of the 100000 samples");
    });
    Path file = dir.resolve("cut.wav");
    Files.write(file, cut);
    assertThatThrownBy(() -> AudioFile.stream(file)).isInstanceOfSatisfying(AudioInputException.class, e -> {
      assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
      assertThat(e.file()).isEqualTo(file);
    });
  }

  @Test
  void inMemoryErrorsNameTheInput() {
    assertThatThrownBy(() -> AudioFile.read(new byte[0], "upload.wav"))
        .isInstanceOfSatisfying(AudioInputException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.EMPTY);
          assertThat(e.getMessage()).startsWith("upload.wav: ");
          assertThat(e.source()).isEqualTo("upload.wav");
          assertThat(e.file()).isNull();
        });
    byte[] full = WavWriter.encode(new float[][] {new float[100]}, 16000, WavWriter.Coding.PCM16);
    assertThatThrownBy(() -> AudioFile.read(Arrays.copyOf(full, full.length - 10), "s3://bucket/a.wav"))
        .isInstanceOfSatisfying(AudioInputException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
          assertThat(e.getMessage()).startsWith("s3://bucket/a.wav: data chunk declares 200 bytes");
        });
  }

  @Test
  void withoutAnExternalDecoderOnlyWavAndFlacExtensionsAreScanned() {
    assertThat(AudioFile.externalDecoders()).isEmpty();
    assertThat(AudioFile.fileExtensions()).containsExactly(".wav", ".wave", ".flac");
    assertThat(AudioFile.hasAudioExtension(Path.of("a/B.FLAC"))).isTrue();
    assertThat(AudioFile.hasAudioExtension(Path.of("a/b.mp3"))).isFalse();
    assertThatThrownBy(() -> AudioFile.read("ID3\4\0\0\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
        "x.mp3")).hasMessageContaining("add earshot-ffmpeg");
  }

  static MultichannelAudio readInChunks(AudioStream s, int chunk) {
    float[][] buffer = new float[s.channels()][chunk];
    float[][] all = new float[s.channels()][0];
    int total = 0;
    int n;
    while ((n = s.read(buffer)) > 0) {
      for (int c = 0; c < all.length; c++) {
        all[c] = Arrays.copyOf(all[c], total + n);
        System.arraycopy(buffer[c], 0, all[c], total, n);
      }
      total += n;
    }
    AudioFormat f = s.format();
    return new MultichannelAudio(all, new AudioFormat(f.container(), f.encoding(), f.bitsPerSample(),
        f.channels(), f.sampleRateHz(), total, f.extensible()));
  }

  private static void assertSame(String what, MultichannelAudio expected, MultichannelAudio actual) {
    assertThat(actual.format()).as(what).isEqualTo(expected.format());
    for (int c = 0; c < expected.channels().length; c++) {
      assertThat(actual.channels()[c]).as(what + " channel " + c).containsExactly(expected.channels()[c]);
    }
  }
}
