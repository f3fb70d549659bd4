package dev.earshot.model.mast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pooling attention against a direct computation written out with loops from MViTv2's definition (qkv,
 * depthwise 3x3 pooling with stride and zero padding, LayerNorm over the head dimension, scaled dot products
 * plus decomposed relative positions, softmax, residual pooling, projection), and the table interpolation
 * against torch's linear interpolation worked by hand.
 */
class PoolingAttentionTest {
  private static final int DIM = 4;
  private static final int HEADS = 2;
  private static final int HD = 2;
  private static final int H = 3;
  private static final int W = 4;
  private static final int ROWS = 7;

  @Test
  void matchesALoopByLoopComputation() {
    SplittableRandom rng = new SplittableRandom(11);
    Engine.disableGradientsForThisThread();
    try (TensorScope m = TensorScope.newBaseScope()) {
      PoolingAttention attn = new PoolingAttention(m, DIM, DIM, HEADS, 3, 2, 1, ROWS, new SplittableRandom(1));
      Map<String, Parameter> p = attn.namedParameters();
      for (Parameter param : p.values()) {
        float[] v = new float[(int) param.array().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * 0.5);
        }
        param.set(v);
      }
      float[] x = new float[H * W * DIM];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rng.nextGaussian();
      }
      PoolingAttention.Output out = attn.forward(m.create(x, new Shape(1, H * W, DIM)),
          new PoolingAttention.Grid(H, W));
      assertThat(out.grid()).isEqualTo(new PoolingAttention.Grid(2, 2));
      double[][] expected = reference(p, x);
      float[] actual = out.x().toFloatArray();
      for (int n = 0; n < 4; n++) {
        for (int c = 0; c < DIM; c++) {
          assertThat((double) actual[n * DIM + c]).as("token %d channel %d", n, c)
              .isCloseTo(expected[n][c], within(1e-4));
        }
      }
    }
  }

  @Test
  void tableInterpolationIsTorchsLinearWithoutAlignedCorners() {
    float[] w = PoolingAttention.interpolation(3, 5);
    float[][] expected = {{1, 0, 0}, {0.6f, 0.4f, 0}, {0, 1, 0}, {0, 0.4f, 0.6f}, {0, 0, 1}};
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(w[i * 3 + j]).as("row %d col %d", i, j).isCloseTo(expected[i][j], within(1e-6f));
      }
    }
  }

  private static float[] get(Map<String, Parameter> p, String name) {
    return p.get(name).array().toFloatArray();
  }

  /** The attention output (Nq, DIM) computed directly. */
  private static double[][] reference(Map<String, Parameter> p, float[] x) {
    int n = H * W;
    float[] wqkv = get(p, "qkv.weight");
    float[] bqkv = get(p, "qkv.bias");
    double[][][][] parts = new double[3][HEADS][n][HD]; // [q|k|v][head][token][c]
    for (int t = 0; t < n; t++) {
      for (int o = 0; o < 3 * DIM; o++) {
        double s = bqkv[o];
        for (int i = 0; i < DIM; i++) {
          s += wqkv[o * DIM + i] * x[t * DIM + i];
        }
        parts[o / DIM][(o % DIM) / HD][t][o % HD] = s;
      }
    }
    String[] names = {"q", "k", "v"};
    int[] strides = {2, 1, 1};
    double[][][][] pooled = new double[3][HEADS][][];
    int[][] sizes = new int[3][];
    for (int j = 0; j < 3; j++) {
      float[] conv = get(p, "pool_" + names[j] + ".weight"); // (HD, 1, 3, 3)
      float[] g = get(p, "norm_" + names[j] + ".weight");
      float[] b = get(p, "norm_" + names[j] + ".bias");
      int s = strides[j];
      int oh = (H + 2 - 3) / s + 1;
      int ow = (W + 2 - 3) / s + 1;
      sizes[j] = new int[] {oh, ow};
      for (int head = 0; head < HEADS; head++) {
        double[][] out = new double[oh * ow][HD];
        for (int c = 0; c < HD; c++) {
          for (int i = 0; i < oh; i++) {
            for (int k = 0; k < ow; k++) {
              double sum = 0;
              for (int a = 0; a < 3; a++) {
                for (int bb = 0; bb < 3; bb++) {
                  int r = i * s + a - 1;
                  int col = k * s + bb - 1;
                  if (r >= 0 && r < H && col >= 0 && col < W) {
                    sum += conv[c * 9 + a * 3 + bb] * parts[j][head][r * W + col][c];
                  }
                }
              }
              out[i * ow + k][c] = sum;
            }
          }
        }
        for (double[] tok : out) { // LayerNorm over the head dimension, eps 1e-6
          double mean = (tok[0] + tok[1]) / 2;
          double var = ((tok[0] - mean) * (tok[0] - mean) + (tok[1] - mean) * (tok[1] - mean)) / 2;
          for (int c = 0; c < HD; c++) {
            tok[c] = (tok[c] - mean) / Math.sqrt(var + 1e-6) * g[c] + b[c];
          }
        }
        pooled[j][head] = out;
      }
    }
    float[] relH = get(p, "rel_pos_h");
    float[] relW = get(p, "rel_pos_w");
    int qh = sizes[0][0];
    int qw = sizes[0][1];
    int kh = sizes[1][0];
    int kw = sizes[1][1];
    double scale = 1 / Math.sqrt(HD);
    int nq = qh * qw;
    int nk = kh * kw;
    double[][] concat = new double[nq][DIM];
    for (int head = 0; head < HEADS; head++) {
      double[][] q = pooled[0][head];
      double[][] k = pooled[1][head];
      double[][] v = pooled[2][head];
      for (int i = 0; i < nq; i++) {
        double[] logits = new double[nk];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < nk; j++) {
          int dh = (int) ((i / qw) * Math.max((double) kh / qh, 1) - (j / kw) * Math.max((double) qh / kh, 1)
              + (kh - 1) * Math.max((double) qh / kh, 1));
          int dw = (int) ((i % qw) * Math.max((double) kw / qw, 1) - (j % kw) * Math.max((double) qw / kw, 1)
              + (kw - 1) * Math.max((double) qw / kw, 1));
          double s = 0;
          for (int c = 0; c < HD; c++) {
            s += scale * q[i][c] * k[j][c] + q[i][c] * relH[dh * HD + c] + q[i][c] * relW[dw * HD + c];
          }
          logits[j] = s;
          max = Math.max(max, s);
        }
        double z = 0;
        for (int j = 0; j < nk; j++) {
          logits[j] = Math.exp(logits[j] - max);
          z += logits[j];
        }
        for (int c = 0; c < HD; c++) {
          double o = q[i][c];
          for (int j = 0; j < nk; j++) {
            o += logits[j] / z * v[j][c];
          }
          concat[i][head * HD + c] = o;
        }
      }
    }
    float[] wp = get(p, "proj.weight");
    float[] bp = get(p, "proj.bias");
    double[][] out = new double[nq][DIM];
    for (int i = 0; i < nq; i++) {
      for (int o = 0; o < DIM; o++) {
        double s = bp[o];
        for (int c = 0; c < DIM; c++) {
          s += wp[o * DIM + c] * concat[i][c];
        }
        out[i][o] = s;
      }
    }
    return out;
  }
}
