package dev.earshot.tensor;

import org.bytedeco.pytorch.GradMode;

/**
 * Records operations for differentiation in the calling thread while open (libtorch's grad mode on), and
 * runs the backward pass. Gradients accumulate into the {@code grad} of every leaf that requires one, as in
 * PyTorch, until an optimizer zeroes them. Closing restores the thread's previous mode.
 */
public final class GradientTape implements AutoCloseable {
  private final boolean previous;
  private boolean closed;

  private GradientTape() {
    Engine.prepareThread();
    previous = GradMode.is_enabled();
    GradMode.set_enabled(true);
  }

  /** Starts recording in the calling thread. */
  public static GradientTape record() {
    return new GradientTape();
  }

  /** True while the calling thread records operations for differentiation (inside a tape). */
  public static boolean isRecording() {
    Engine.prepareThread();
    return GradMode.is_enabled();
  }

  /** Back-propagates from the scalar {@code loss}. */
  public void backward(Tensor loss) {
    loss.handle().backward();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      GradMode.set_enabled(previous);
    }
  }
}
