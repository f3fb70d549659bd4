package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.Mixdown;
import dev.earshot.audio.MultichannelAudio;
import dev.earshot.audio.Resampler;
import dev.earshot.io.Npy;
import dev.earshot.testing.Fixtures;
import dev.earshot.testing.MaxAbsDiff;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity of the whole front end (decode, mix-down, resample, Kaldi fbank) with torchaudio 0.13, on the
 * fixtures written by {@code tools/fixtures/gen_frontend.py}.
 */
class FrontEndParityTest {
  /** Issue tolerance on log-mel values; the reached value is printed after the run. */
  static final double FBANK_TOLERANCE = 1e-3;
  /** Issue tolerance on resampled samples. */
  static final double RESAMPLE_TOLERANCE = 1e-4;

  private static final String ROOT = "/fixtures/frontend/";
  /** Tolerance against torchaudio's algorithm evaluated in float64. */
  static final double FLOAT64_TOLERANCE = 1e-4;

  private static double worstVsFloat64;
  private static double worstVsFloat32;
  private static double worstVsFloat32Clean;
  private static double worstVsFloat64Clean;
  private static long cells;
  private static long cleanCells;
  private static double worstResample;

  @TestFactory
  List<DynamicTest> fbankMatchesTorchaudio() {
    JsonNode manifest = Fixtures.json(ROOT + "cases.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : manifest.get("cases")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> checkCase(c)));
    }
    assertThat(tests).hasSizeGreaterThan(30);
    return tests;
  }

  @TestFactory
  List<DynamicTest> resamplingMatchesTorchaudio() {
    JsonNode manifest = Fixtures.json(ROOT + "cases.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode r : manifest.get("resamples")) {
      tests.add(DynamicTest.dynamicTest(r.get("name").asText(), () -> {
        float[] in = Npy.read(Fixtures.path(ROOT + r.get("input").asText())).toFloats();
        float[] expected = Npy.read(Fixtures.path(ROOT + r.get("output").asText())).toFloats();
        Resampler resampler = r.has("window")
            ? new Resampler(r.get("originalRateHz").asInt(), r.get("targetRateHz").asInt(),
                r.get("lowpassFilterWidth").asInt(), r.get("rolloff").asDouble(),
                Resampler.Window.valueOf(r.get("window").asText()), r.get("beta").asDouble())
            : Resampler.of(r.get("originalRateHz").asInt(), r.get("targetRateHz").asInt());
        float[] actual = resampler.apply(in);
        double diff = MaxAbsDiff.of(actual, expected);
        worstResample = Math.max(worstResample, diff);
        assertThat(diff).as("max |resampled - torchaudio|").isLessThanOrEqualTo(RESAMPLE_TOLERANCE);
      }));
    }
    return tests;
  }

  private static void checkCase(JsonNode c) throws Exception {
    Path file = Fixtures.path(ROOT + "audio/" + c.get("file").asText());
    MultichannelAudio audio = AudioFile.read(file);
    Mixdown mixdown = "first".equals(c.get("mixdown").asText()) ? Mixdown.FIRST_CHANNEL : Mixdown.AVERAGE;
    float[] mono = mixdown.apply(audio.channels());
    int target = c.get("targetSampleRateHz").asInt();
    if (audio.sampleRateHz() != target) {
      mono = Resampler.of(audio.sampleRateHz(), target).apply(mono);
      float[] expected = Npy.read(Fixtures.path(ROOT + c.get("resampled").asText())).toFloats();
      double diff = MaxAbsDiff.of(mono, expected);
      worstResample = Math.max(worstResample, diff);
      assertThat(diff).as("max |resampled - torchaudio|").isLessThanOrEqualTo(RESAMPLE_TOLERANCE);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> kwargs = new ObjectMapper().convertValue(c.get("fbank"), Map.class);
    FbankConfig config = TorchaudioFbankOptions.apply(
        FbankConfig.kaldiDefaults().toBuilder()
            .sampleFrequencyHz(target)
            .removeWaveformDcOffset(c.get("removeWaveformDcOffset").asBoolean())
            .build(),
        kwargs);
    KaldiFbank fbank = new KaldiFbank(config);
    float[] samples = mono;
    if (c.has("expectError")) {
      assertThatThrownBy(() -> fbank.compute(samples))
          .isInstanceOf(AudioInputException.class)
          .satisfies(e -> assertThat(((AudioInputException) e).problem())
              .isEqualTo(AudioInputException.Problem.valueOf(c.get("expectError").asText())));
      return;
    }
    float[][] actual = fbank.compute(samples);
    int[] shape = {c.get("shape").get(0).asInt(), c.get("shape").size() > 1 ? c.get("shape").get(1).asInt() : 0};
    assertThat(actual.length).as("frames").isEqualTo(shape[0]);
    if (shape[0] == 0) {
      return;
    }
    assertThat(actual[0].length).as("bins").isEqualTo(shape[1]);
    float[][] float32 = Npy.read(Fixtures.path(ROOT + c.get("features").asText())).toMatrix();
    float[][] float64 = Npy.read(Fixtures.path(ROOT + c.get("features64").asText())).toMatrix();
    double scale = config.useLogFbank() ? 1 : scale(float64);

    // torchaudio computes in float32; running its code in float64 shows, cell by cell, how much of its
    // float32 output is rounding noise (up to 0.35 in log units in bands 100+ dB below a frame's energy).
    // "Clean" cells are those where that noise is at most 1e-4. On them we must match both runs closely;
    // everywhere else we may be no further from either run than the two runs are from each other.
    for (int t = 0; t < actual.length; t++) {
      for (int b = 0; b < actual[t].length; b++) {
        double vs32 = Math.abs(actual[t][b] - float32[t][b]) / scale;
        double vs64 = Math.abs(actual[t][b] - float64[t][b]) / scale;
        double noise = Math.abs(float32[t][b] - float64[t][b]) / scale;
        worstVsFloat32 = Math.max(worstVsFloat32, vs32);
        worstVsFloat64 = Math.max(worstVsFloat64, vs64);
        cells++;
        if (noise <= 1e-4) {
          cleanCells++;
          worstVsFloat32Clean = Math.max(worstVsFloat32Clean, vs32);
          worstVsFloat64Clean = Math.max(worstVsFloat64Clean, vs64);
          assertThat(vs64).as("|fbank - torchaudio float64| at frame %d bin %d", t, b)
              .isLessThanOrEqualTo(FLOAT64_TOLERANCE);
          assertThat(vs32).as("|fbank - torchaudio float32| at frame %d bin %d", t, b)
              .isLessThanOrEqualTo(FBANK_TOLERANCE);
        }
        assertThat(vs64).as("|fbank - torchaudio float64| at frame %d bin %d", t, b)
            .isLessThanOrEqualTo(noise + FLOAT64_TOLERANCE);
        assertThat(vs32).as("|fbank - torchaudio float32| at frame %d bin %d", t, b)
            .isLessThanOrEqualTo(noise + FBANK_TOLERANCE);
      }
    }
  }

  /** Linear (non-log) energies are compared relative to their magnitude. */
  private static double scale(float[][] m) {
    double max = 1;
    for (float[] row : m) {
      for (float v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  @AfterAll
  static void report() {
    System.out.printf(
        "front-end parity over %d cells (%.2f%% where torchaudio's own float32 rounding is <= 1e-4):%n"
            + "  fbank max|diff| on those cells: %.3g vs torchaudio float32, %.3g vs torchaudio float64%n"
            + "  fbank max|diff| on all cells:   %.3g vs torchaudio float32, %.3g vs torchaudio float64%n"
            + "  resampled samples max|diff|:    %.3g%n",
        cells, 100.0 * cleanCells / Math.max(1, cells), worstVsFloat32Clean, worstVsFloat64Clean,
        worstVsFloat32, worstVsFloat64, worstResample);
  }
}
