package dev.earshot.pretrain.asit;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.nn.Init;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import dev.earshot.train.WorkerGroup;

/**
 * The two DINO centres of ASiT's losses ({@code loss_cls.center} (1, K global) and {@code loss_data.center}
 * (1, K local)): frozen parameters, so that checkpoints carry them and a resumed run continues exactly.
 */
public final class AsitCentres extends Module {
  private final Parameter global;
  private final Parameter local;

  public AsitCentres(TensorScope manager, int globalDim, int localDim) {
    super(manager);
    this.global = parameter("cls", Init.zeros(globalDim), new Shape(1, globalDim), false);
    this.local = parameter("data", Init.zeros(localDim), new Shape(1, localDim), false);
    setTrainable(false);
  }

  public Tensor global() {
    return global.array();
  }

  public Tensor local() {
    return local.array();
  }

  /**
   * centre = m centre + (1 - m) mean over rows of the teacher's logits, for both centres; the mean is over
   * every worker's rows (DINO all-reduces the batch sums).
   */
  void update(Tensor teacherGlobal, Tensor teacherLocal, double momentum, WorkerGroup workers) {
    move(global, teacherGlobal, momentum, workers);
    move(local, teacherLocal, momentum, workers);
  }

  private static void move(Parameter centre, Tensor logits, double momentum, WorkerGroup workers) {
    float[] c = centre.array().toFloatArray();
    float[] z = logits.toFloatArray();
    int k = c.length;
    int rows = z.length / k;
    double[] sum = new double[k];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < k; j++) {
        sum[j] += z[r * k + j];
      }
    }
    if (workers.size() > 1) { // the workers' row means, averaged: the global batch's mean (equal shares)
      double[] mean = new double[k];
      for (int j = 0; j < k; j++) {
        mean[j] = sum[j] / rows;
      }
      try (dev.earshot.tensor.TensorScope scope = dev.earshot.tensor.TensorScope.newBaseScope()) {
        double[] global = workers.mean(scope.create(mean, new dev.earshot.tensor.Shape(k))).toDoubleArray();
        for (int j = 0; j < k; j++) {
          sum[j] = global[j] * rows;
        }
      }
    }
    float[] next = new float[k];
    for (int j = 0; j < k; j++) {
      next[j] = (float) (c[j] * momentum + sum[j] / rows * (1 - momentum));
    }
    centre.set(next);
  }
}
