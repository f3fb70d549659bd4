package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The filterbank's vector path (frames in SIMD lanes, its own FFT) gives the scalar path's features to
 * double rounding for every option that changes the arithmetic; so FrontEndParityTest, which core's tests
 * run on the vector path, holds for both.
 */
class VectorizedFbankTest {
  @Test
  void vectorPathEqualsScalarPath() {
    assumeThat(KaldiFbank.vectorized(FbankConfig.ast())).as("run with --add-modules jdk.incubator.vector").isTrue();
    Random random = new Random(9);
    float[] x = new float[16000 * 3 + 123];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.3 * Math.sin(i * 0.013) * Math.sin(i * 0.0007) + 0.02 * random.nextGaussian());
    }
    List<FbankConfig> configs = List.of(
        FbankConfig.ast(),
        FbankConfig.kaldiDefaults().toBuilder().dither(1.0).ditherSeed(3).build(),
        FbankConfig.ast().toBuilder().useEnergy(true).rawEnergy(false).htkCompat(false).build(),
        FbankConfig.ast().toBuilder().usePower(false).useLogFbank(false).numMelBins(40).build(),
        FbankConfig.ast().toBuilder().snipEdges(false).windowType(WindowType.POVEY).frameLengthMs(32).build(),
        FbankConfig.ast().toBuilder().frameLengthMs(50).numMelBins(80).lowFreqHz(50).highFreqHz(-400).build());
    for (FbankConfig config : configs) {
      KaldiFbank fbank = new KaldiFbank(config);
      int frames = config.numFrames(x.length);
      int w = config.windowSizeSamples();
      int s = config.windowShiftSamples();
      KaldiFbank.FrameReader reader = config.snipEdges()
          ? (f, frame) -> {
            for (int j = 0; j < w; j++) {
              frame[j] = x[f * s + j];
            }
          }
          : (f, frame) -> {
            for (int j = 0; j < w; j++) {
              int i = f * s - (w / 2 - s / 2) + j;
              frame[j] = x[i < 0 ? -i - 1 : i >= x.length ? 2 * x.length - 1 - i : i];
            }
          };
      float[][] vector = new float[frames][config.numFeatures()];
      float[][] scalar = new float[frames][config.numFeatures()];
      Random d1 = config.dither() != 0 ? new Random(config.ditherSeed()) : null;
      Random d2 = config.dither() != 0 ? new Random(config.ditherSeed()) : null;
      fbank.computeRows(reader, frames, d1, vector, 0);
      fbank.computeRowsScalar(reader, frames, d2, scalar, 0);
      double max = 0;
      for (int f = 0; f < frames; f++) {
        for (int b = 0; b < vector[f].length; b++) {
          double scale = Math.max(1, Math.abs(scalar[f][b]));
          max = Math.max(max, Math.abs(vector[f][b] - scalar[f][b]) / scale);
        }
      }
      assertThat(max).as("%s", config).isLessThan(2e-6);
    }
  }
}
