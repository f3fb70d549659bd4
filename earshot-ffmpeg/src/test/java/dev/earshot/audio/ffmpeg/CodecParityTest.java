package dev.earshot.audio.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioStream;
import dev.earshot.audio.MultichannelAudio;
import dev.earshot.audio.SampleEncoding;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Decoded samples of MP3, Ogg Vorbis, Opus, M4A/AAC and mu-law WAV files equal the ffmpeg command-line
 * tool's decode (Debian's ffmpeg 5.1, {@code tools/fixtures/gen_codecs.py}) within the tolerance each case
 * states: the same number of channels, rate and samples (encoder delay and padding removed alike), and a
 * largest absolute and an RMS difference bound. The FFmpeg in earshot (8.0.1) and Debian's differ by
 * floating-point rounding in the lossy decoders; mu-law is exact. The file is read four ways — from a
 * path, from bytes, from an input stream and as a chunked stream — and all four must be identical.
 */
class CodecParityTest {
  private static final String ROOT = "/fixtures/codecs/";

  @TestFactory
  List<DynamicTest> decodesLikeTheFfmpegTool() {
    JsonNode cases = Fixtures.json(ROOT + "cases.json").get("cases");
    List<DynamicTest> tests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = cases.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(6);
    return tests;
  }

  private static void check(String name, JsonNode ref) throws Exception {
    Path file = Fixtures.path(ROOT + name);
    MultichannelAudio audio = AudioFile.read(file);
    assertThat(audio.sampleRateHz()).isEqualTo(ref.get("sampleRateHz").asInt());
    assertThat(audio.channels().length).isEqualTo(ref.get("channels").asInt());
    assertThat(audio.length()).as("samples per channel").isEqualTo(ref.get("frames").asInt());
    if (!name.endsWith(".wav")) {
      assertThat(audio.format().encoding()).isEqualTo(SampleEncoding.COMPRESSED);
    }

    NpyArray expected = Npy.read(Fixtures.path(ROOT + ref.get("reference").asText()));
    float[] e = expected.toFloats();
    int frames = expected.shape()[1];
    double maxAbs = 0;
    double sumSq = 0;
    for (int c = 0; c < audio.channels().length; c++) {
      for (int i = 0; i < frames; i++) {
        double d = audio.channels()[c][i] - e[c * frames + i];
        maxAbs = Math.max(maxAbs, Math.abs(d));
        sumSq += d * d;
      }
    }
    double rms = Math.sqrt(sumSq / (audio.channels().length * (double) frames));
    System.out.printf("%s: max |diff| %.3g, rms %.3g%n", name, maxAbs, rms);
    assertThat(maxAbs).as("largest absolute difference").isLessThanOrEqualTo(ref.get("maxAbsDifference").asDouble());
    assertThat(rms).as("RMS difference").isLessThanOrEqualTo(ref.get("rmsDifference").asDouble());

    byte[] bytes = Files.readAllBytes(file);
    assertSame(audio, AudioFile.read(bytes, "upload/" + name));
    assertSame(audio, AudioFile.read(new ByteArrayInputStream(bytes), "stream"));
    try (AudioStream s = AudioFile.stream(file)) {
      assertSame(audio, readInChunks(s, 1000));
    }
  }

  static MultichannelAudio readInChunks(AudioStream s, int chunk) {
    float[][] buffer = new float[s.channels()][chunk];
    List<float[][]> parts = new ArrayList<>();
    int total = 0;
    int n;
    while ((n = s.read(buffer)) > 0) {
      float[][] part = new float[buffer.length][];
      for (int c = 0; c < buffer.length; c++) {
        part[c] = java.util.Arrays.copyOf(buffer[c], n);
      }
      parts.add(part);
      total += n;
    }
    float[][] all = new float[buffer.length][total];
    int at = 0;
    for (float[][] p : parts) {
      for (int c = 0; c < p.length; c++) {
        System.arraycopy(p[c], 0, all[c], at, p[c].length);
      }
      at += p[0].length;
    }
    dev.earshot.audio.AudioFormat f = s.format();
    return new MultichannelAudio(all, new dev.earshot.audio.AudioFormat(f.container(), f.encoding(),
        f.bitsPerSample(), f.channels(), f.sampleRateHz(), total, f.extensible()));
  }

  private static void assertSame(MultichannelAudio expected, MultichannelAudio actual) {
    assertThat(actual.channels().length).isEqualTo(expected.channels().length);
    for (int c = 0; c < expected.channels().length; c++) {
      assertThat(actual.channels()[c]).containsExactly(expected.channels()[c]);
    }
  }
}
