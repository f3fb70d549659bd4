package dev.earshot.spark;

import dev.earshot.ConfigException;
import dev.earshot.tensor.Execution;
import java.io.Serializable;

/**
 * How each executor runs its model: the largest batch of its one micro-batching runner (windows of all the
 * JVM's tasks are batched together) and the device and precision, as the command line's {@code --batch-size},
 * {@code --device} and {@code --precision}.
 */
public record Compute(int batchSize, String device, String precision) implements Serializable {
  /** Batches of up to 16 on the CPU in float32. */
  public static final Compute CPU = new Compute(16, "cpu", "fp32");

  public Compute {
    if (batchSize < 1) {
      throw new ConfigException("batch size must be at least 1, got " + batchSize);
    }
    Execution.parse(device, precision); // names checked here, on the driver
  }

  public Compute withBatchSize(int size) {
    return new Compute(size, device, precision);
  }
}
