package dev.earshot.nn;

import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Device;
import dev.earshot.tensor.GradientTape;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.random.RandomGenerator;

/**
 * Multi-head self-attention with a fused {@code qkv} projection (rows ordered q | k | v, heads split as
 * (3, H, d)), scale d^-1/2, softmax over keys, and an output projection {@code proj} — the timm ViT layout
 * used by SSAST, AST, EAT and ASiT.
 *
 * <p>The product-softmax-product runs as one fused kernel ({@code scaled_dot_product_attention}) or as
 * separate kernels, by {@link Kernel}; both compute the same function (to float32 rounding). With attention
 * dropout in training the separate kernels are used. By default ({@link Kernel#AUTO}) a bf16 pass on the CPU
 * uses the separate kernels too when it records gradients — libtorch's fused CPU kernel is fast forward in
 * bf16, but its bf16 backward took 10-16x the separate kernels' time — or attends over fewer than
 * {@value #FUSED_BF16_MIN_TOKENS} tokens, where its bf16 forward lost 7-16x (docs/BENCHMARKS.md, "Engine").
 */
public final class Attention extends Module {
  private final int heads;
  private final int dim;
  private final float scale;
  private final Linear qkv;
  private final Linear proj;
  private final float attentionDropout;

  /** Below this many tokens a bf16 CPU forward runs the separate kernels (measured: fused loses at 50, wins at 110). */
  static final int FUSED_BF16_MIN_TOKENS = 96;

  public Attention(TensorScope manager, int dim, int heads, boolean qkvBias, double attentionDropout,
      RandomGenerator rng) {
    super(manager);
    if (dim % heads != 0) {
      throw new IllegalArgumentException("dim " + dim + " is not divisible by " + heads + " heads");
    }
    this.dim = dim;
    this.heads = heads;
    this.scale = (float) Math.pow(dim / heads, -0.5);
    this.qkv = child("qkv", Linear.vit(manager, dim, 3 * dim, qkvBias, rng));
    this.proj = child("proj", Linear.vit(manager, dim, dim, true, rng));
    this.attentionDropout = (float) attentionDropout;
  }

  /** How the attention product is computed. */
  public enum Kernel {
    /** FUSED, except SEPARATE for a bf16 pass on the CPU that records gradients or is short (the default). */
    AUTO,
    /** libtorch's fused {@code scaled_dot_product_attention}: no (N, N) matrix is kept for backward. */
    FUSED,
    /** Scale q, q k^T, softmax, times v: four kernels, the (N, N) probabilities kept for backward. */
    SEPARATE;

    /** The process-wide choice: system property {@code earshot.attention} (auto|fused|separate), else auto. */
    public static Kernel current() {
      String chosen = System.getProperty("earshot.attention", "auto");
      for (Kernel kernel : values()) {
        if (kernel.name().equalsIgnoreCase(chosen)) {
          return kernel;
        }
      }
      throw new IllegalArgumentException("earshot.attention must be auto, fused or separate, got '" + chosen + "'");
    }

    /** Whether this choice runs the fused kernel for a pass over {@code q}'s device in the current thread. */
    boolean fusedFor(Tensor q) {
      return switch (this) {
        case FUSED -> true;
        case SEPARATE -> false;
        case AUTO -> !(q.device().kind() == Device.Kind.CPU && Autocast.isBf16(q.device())
            && (GradientTape.isRecording() || q.getShape().get(2) < FUSED_BF16_MIN_TOKENS)); // q: (B, H, N, d)
      };
    }
  }

  /** (B, N, D) to (B, N, D). */
  public Tensor forward(Tensor x) {
    long b = x.getShape().get(0);
    long n = x.getShape().get(1);
    long d = dim / heads;
    Tensor qkvOut = qkv.forward(x).reshape(b, n, 3, heads, d).transpose(2, 0, 3, 1, 4); // (3, B, H, N, d)
    Tensor q = qkvOut.get(0);
    Tensor k = qkvOut.get(1);
    Tensor v = qkvOut.get(2);
    boolean dropout = isTraining() && attentionDropout > 0;
    Tensor attended; // (B, H, N, d)
    if (!dropout && Kernel.current().fusedFor(q)) {
      attended = Tensor.scaledDotProductAttention(q, k, v, scale, 0);
    } else {
      // scale q (B, H, N, d) rather than the scores (B, H, N, N): N/d times fewer multiplies, same math
      Tensor scores = q.mul(scale).matMul(k.transpose(0, 1, 3, 2)); // (B, H, N, N)
      Tensor weights = scores.softmax(-1);
      if (dropout) {
        weights = weights.dropout(attentionDropout, true);
      }
      attended = weights.matMul(v);
    }
    Tensor context = attended.transpose(0, 2, 1, 3).reshape(b, n, dim); // (B, N, D)
    return proj.forward(context);
  }
}
