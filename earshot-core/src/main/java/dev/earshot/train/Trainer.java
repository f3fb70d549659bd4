package dev.earshot.train;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.GradientTape;
import dev.earshot.EarshotException;
import dev.earshot.data.Batch;
import dev.earshot.data.BatchLoader;
import dev.earshot.io.Json;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hand-written training loop shared by every method and task:
 * <pre>
 *   for each update: for each micro-batch: batch(step) -> objective.forward -> backward(loss / accumulation)
 *                    -> clip global norm -> AdamW(lr = schedule(step)) -> objective.afterUpdate (EMA)
 *                    -> log every N, checkpoint every M (atomic)
 * </pre>
 * Every step runs in its own native-memory scope. {@code resume} continues from the checkpoint in the run
 * folder; because data order, augmentation, masks and drop-path are all functions of (seed, step), the
 * continued run equals an uninterrupted one. A non-finite loss stops training with an error and leaves the
 * last checkpoint in place.
 */
public final class Trainer {
  private final Objective objective;
  private final BatchLoader loader;
  private final AdamW optimizer;
  private final LrSchedule schedule;
  private final TrainerConfig config;
  private final Path runDir;
  private final Map<String, Object> description;
  private final TrainingListener listener;
  private final Execution execution;
  private DataParallel parallel;

  /**
   * @param runDir folder for {@code checkpoint/} and the metrics files
   * @param description the run's configuration, stored with checkpoints and compared on resume
   */
  public Trainer(Objective objective, BatchLoader loader, AdamW optimizer, LrSchedule schedule, TrainerConfig config,
      Path runDir, Map<String, Object> description, TrainingListener listener) {
    this(objective, loader, optimizer, schedule, config, runDir, description, listener, Execution.CPU);
  }

  /**
   * @param execution the device and precision of the forward passes (the objective's modules must live on
   *     that device)
   */
  public Trainer(Objective objective, BatchLoader loader, AdamW optimizer, LrSchedule schedule, TrainerConfig config,
      Path runDir, Map<String, Object> description, TrainingListener listener, Execution execution) {
    this.execution = execution;
    this.objective = objective;
    this.loader = loader;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.config = config;
    this.runDir = runDir;
    this.description = description == null ? Map.of() : description;
    this.listener = listener == null ? TrainingListener.NONE : listener;
  }

  public Path checkpointDir() {
    return runDir.resolve("checkpoint");
  }

  /**
   * Trains as one of several data-parallel workers: the loader must deliver this worker's share of every
   * global batch ({@link BatchLoader.Shard}); gradients and logged metrics are averaged over the workers, and
   * only worker 0 writes checkpoints and metrics (and calls the listener). Returns this trainer.
   */
  public Trainer dataParallel(DataParallel parallel) {
    this.parallel = parallel;
    return this;
  }

  /** All checkpointed modules: trainable then frozen. */
  private Map<String, Module> modules() {
    Map<String, Module> all = new LinkedHashMap<>(objective.trainable());
    all.putAll(objective.frozen());
    return all;
  }

  /**
   * Trains to {@code totalSteps}. With {@code resume}, continues from the run's checkpoint if there is one
   * (its configuration must match); otherwise starts from step 0.
   *
   * @return the metrics of the run
   */
  public MetricsLog run(boolean resume) {
    Engine.disableGradientsForThisThread();
    boolean distributed = parallel != null && parallel.size() > 1;
    boolean leader = !distributed || parallel.isLeader();
    objective.join(distributed ? parallel : WorkerGroup.ALONE);
    MetricsLog log = new MetricsLog(runDir);
    long start = 0;
    java.util.Optional<Path> latest = java.util.Optional.empty();
    if (resume && leader) {
      try {
        Checkpoint.removeLeftovers(checkpointDir());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      latest = Checkpoint.latest(checkpointDir());
    }
    if (!leader) {
      // worker 0 resumes or starts; this worker takes its step, parameters, teachers and moments
      start = parallel.broadcastFromLeader(0L);
      synchronizeWithLeader();
    } else if (latest.isPresent()) {
      Checkpoint.State state = Checkpoint.readState(latest.get());
      if (!Objects.equals(normalise(state.description()), normalise(description))) {
        throw new EarshotException(latest.get() + ": the checkpoint was written by a run with a different "
            + "configuration; use a new run folder, or the same settings to resume");
      }
      Checkpoint.load(latest.get(), modules(), optimizer);
      start = state.step();
      log.resumeAt(start);
    } else {
      log.resumeAt(-1);
    }
    if (distributed && leader) {
      parallel.broadcastFromLeader(start);
      synchronizeWithLeader();
    }
    if (leader) {
      listener.onStart(start, config.totalSteps());
    }
    List<Parameter> params = new ArrayList<>();
    for (ParamGroup g : optimizer.groups()) {
      params.addAll(g.parameters().values());
    }
    // a resumed run's clock continues from the training time logged before the interruption
    List<Map<String, Double>> earlier = log.rows();
    double secondsBefore = earlier.isEmpty() ? 0 : earlier.get(earlier.size() - 1).getOrDefault("seconds", 0.0);
    long begin = System.nanoTime();
    try (TensorScope base = execution.newBaseScope()) {
      for (long step = start; step < config.totalSteps(); step++) {
        objective.setTraining(true);
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int micro = 0; micro < config.accumulation(); micro++) {
          Batch batch = loader.batch(step * config.accumulation() + micro);
          try (TensorScope stepManager = base.newSubScope();
              GradientTape gc = GradientTape.record()) {
            StepOutput out;
            try (Autocast precision = execution.autocast()) {
              out = objective.forward(batch, stepManager, step);
            }
            float loss = out.loss().getFloat();
            if (!Float.isFinite(loss) && !distributed) { // workers decide together, on the averaged loss
              optimizer.zeroGradients();
              throw new EarshotException("the loss became " + loss + " at step " + step + "; the last checkpoint ("
                  + checkpointDir() + ") is intact — lower the learning rate or check the data");
            }
            gc.backward(config.accumulation() == 1 ? out.loss()
                : out.loss().div(config.accumulation()));
            out.metrics().forEach((k, v) -> metrics.merge(k, v / config.accumulation(), Double::sum));
          }
        }
        if (distributed) {
          parallel.averageGradients(params);
          Map<String, Double> mean = parallel.averageMetrics(metrics);
          metrics.clear();
          metrics.putAll(mean);
          Double loss = metrics.get("loss");
          if (loss != null && !Double.isFinite(loss)) {
            optimizer.zeroGradients();
            throw new EarshotException("the loss became " + loss + " at step " + step + " (mean over "
                + parallel.size() + " workers); the last checkpoint (" + checkpointDir() + ") is intact — lower the "
                + "learning rate or check the data");
          }
        }
        double norm = config.clipPerParameter() && config.clipNorm() > 0
            ? PerParameterClip.clip(params, config.clipNorm()) : GlobalNormClip.clip(params, config.clipNorm());
        if (!Double.isFinite(norm)) {
          String culprit = firstNonFiniteGradient(objective.trainable());
          optimizer.zeroGradients();
          throw new EarshotException("the gradients became non-finite at step " + step + " (first: " + culprit
              + "); the last checkpoint (" + checkpointDir() + ") is intact — lower the learning rate or check the data");
        }
        double lr = schedule.lr(step);
        optimizer.step(lr, objective.weightDecayScale(step));
        objective.afterUpdate(step);
        long done = step + 1;
        if (leader) {
          listener.onStep(done, config.totalSteps(), lr, metrics);
        }
        if (leader && (done % config.logEvery() == 0 || done == config.totalSteps())) {
          Map<String, Double> row = new LinkedHashMap<>();
          row.put("step", (double) done);
          row.put("lr", lr);
          row.putAll(metrics);
          row.put("grad_norm", norm);
          row.put("seconds", secondsBefore + (System.nanoTime() - begin) / 1e9);
          log.append(row);
        }
        if (done % config.checkpointEvery() == 0 || done == config.totalSteps()) {
          if (distributed) {
            parallel.checkIdentical(allParameters(), done);
          }
          if (leader) {
            Checkpoint.save(checkpointDir(), modules(), optimizer, new Checkpoint.State(done, config.seed(), description));
            listener.onCheckpoint(done, checkpointDir());
          }
        }
      }
      if (leader) {
        log.writeSummaries(description.getOrDefault("title", "training").toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      objective.setTraining(false);
    }
    return log;
  }

  /** Every checkpointed parameter, trainable then frozen. */
  private List<Parameter> allParameters() {
    List<Parameter> all = new ArrayList<>();
    modules().values().forEach(m -> all.addAll(m.namedParameters().values()));
    return all;
  }

  /** Worker 0's parameters, teachers, queues, centres and optimizer moments on every worker. */
  private void synchronizeWithLeader() {
    List<Tensor> tensors = new ArrayList<>(DataParallel.arrays(allParameters()));
    tensors.addAll(optimizer.moments());
    parallel.broadcastFromLeader(tensors);
    optimizer.setSteps(parallel.broadcastFromLeader(optimizer.steps()));
  }

  private static String firstNonFiniteGradient(Map<String, Module> modules) {
    for (Map.Entry<String, Module> m : modules.entrySet()) {
      for (Map.Entry<String, Parameter> p : m.getValue().namedParameters().entrySet()) {
        if (p.getValue().trainable() && p.getValue().array().hasGradient()) {
          try (Tensor g = p.getValue().array().getGradient()) {
            for (float v : g.toFloatArray()) {
              if (!Float.isFinite(v)) {
                return m.getKey() + "." + p.getKey();
              }
            }
          }
        }
      }
    }
    return "unknown";
  }

  /** JSON round trips turn numbers into other boxed types; compare through their text. */
  private static String normalise(Map<String, Object> m) {
    try {
      return Json.line(new java.util.TreeMap<>(m));
    } catch (IOException e) {
      return String.valueOf(m);
    }
  }
}
