package dev.earshot.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.testing.Fixtures;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Decoded samples equal libsndfile's (the exact stored values scaled by 2^(bits-1)) for every WAV/FLAC coding
 * in the fixtures; torchaudio.load agrees bit for bit except for sox's ~2e-8 rounding on 32-bit PCM and float.
 */
class DecodeParityTest {
  private static final String ROOT = "/fixtures/frontend/";

  @TestFactory
  List<DynamicTest> decodesLikeTorchaudio() {
    JsonNode decoded = Fixtures.json(ROOT + "cases.json").get("decoded");
    List<DynamicTest> tests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = decoded.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(15);
    return tests;
  }

  private static void check(String name, JsonNode ref) {
    MultichannelAudio audio = AudioFile.read(Fixtures.path(ROOT + "audio/" + name));
    assertThat(audio.sampleRateHz()).isEqualTo(ref.get("sampleRateHz").asInt());
    assertThat(audio.channels().length).isEqualTo(ref.get("channels").asInt());
    assertThat(audio.length()).isEqualTo(ref.get("frames").asInt());
    assertThat(AudioFile.probe(Fixtures.path(ROOT + "audio/" + name))).isEqualTo(audio.format());

    NpyArray prefix = Npy.read(Fixtures.path(ROOT + ref.get("prefix").asText()));
    int channels = prefix.shape()[0];
    int frames = prefix.shape()[1];
    float[] expected = prefix.toFloats();
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < frames; i++) {
        assertThat(audio.channels()[c][i])
            .as("%s channel %d sample %d", name, c, i)
            .isEqualTo(expected[c * frames + i]);
      }
    }
    double sum = 0;
    double sumSquares = 0;
    double maxAbs = 0;
    for (float[] channel : audio.channels()) {
      for (float v : channel) {
        sum += v;
        sumSquares += (double) v * v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
    }
    assertThat(sum).isCloseTo(ref.get("sum").asDouble(), within(1e-9 * audio.length() + 1e-9));
    assertThat(sumSquares).isCloseTo(ref.get("sumSquares").asDouble(), within(1e-9 * audio.length() + 1e-9));
    assertThat(maxAbs).isCloseTo(ref.get("maxAbs").asDouble(), within(1e-7));
  }
}
