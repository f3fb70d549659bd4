package dev.earshot.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Frees every tensor the calling thread creates while it is open, whatever scope owns it — for short
 * stretches of host-driven arithmetic (an optimizer update, gradient clipping, an EMA step) whose results are
 * written in place into long-lived tensors. A tensor that must outlive the block is passed to {@link #keep}.
 * Blocks nest; each frees what was created since it opened.
 */
public final class Temporaries implements AutoCloseable {
  private static final ThreadLocal<Deque<Temporaries>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);
  private final List<Tensor> created = new ArrayList<>();
  private boolean closed;

  private Temporaries() {}

  /** Opens a block on the calling thread. */
  public static Temporaries open() {
    Temporaries t = new Temporaries();
    OPEN.get().push(t);
    return t;
  }

  /** Exempts {@code tensor} from this block (it stays with its scope). */
  public Tensor keep(Tensor tensor) {
    created.remove(tensor);
    return tensor;
  }

  static void track(Tensor t) {
    Deque<Temporaries> open = OPEN.get();
    if (!open.isEmpty()) {
      open.peek().created.add(t);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Deque<Temporaries> open = OPEN.get();
    open.remove(this);
    for (Tensor t : created) {
      t.close();
    }
    created.clear();
  }
}
