package dev.earshot.train;

import dev.earshot.data.Augmentation;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.data.FolderDataset;
import dev.earshot.data.Sampler;
import dev.earshot.data.UnlabeledAudio;
import dev.earshot.eval.ClassificationObjective;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Safetensors;
import dev.earshot.model.Encoder;
import dev.earshot.model.ModelRegistry;
import dev.earshot.nn.Module;
import dev.earshot.nn.StateDict;
import dev.earshot.pretrain.GroupMasking;
import dev.earshot.pretrain.InverseBlockMasking;
import dev.earshot.pretrain.asit.AsitConfig;
import dev.earshot.pretrain.asit.AsitObjective;
import dev.earshot.pretrain.asit.AsitPipeline;
import dev.earshot.pretrain.eat.EatConfig;
import dev.earshot.pretrain.eat.EatDecoder;
import dev.earshot.pretrain.eat.EatObjective;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.tensor.Engine;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.World;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One process of {@link DataParallelTest}: trains each named scenario (the four pretraining methods and
 * fine-tuning, micro models) for a few steps as worker {@code rank} of {@code world}, on its share of a global
 * batch; worker 0 writes each scenario's per-step metrics ({@code metrics.jsonl}) and final weights
 * ({@code weights.safetensors}) under {@code OUT/<scenario>/}.
 *
 * <p>Arguments: {@code DATA OUT RANK WORLD PORT GLOBAL_BATCH STEPS SCENARIO...}.
 */
public final class DataParallelWorker {
  private DataParallelWorker() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int rank = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    int port = Integer.parseInt(args[4]);
    int globalBatch = Integer.parseInt(args[5]);
    long steps = Long.parseLong(args[6]);
    World world = size == 1 ? World.SINGLE : new World(rank, size, rank, "127.0.0.1", port, Duration.ofSeconds(60));
    run(data, out, world, globalBatch, steps, List.of(args).subList(7, args.length));
  }

  /** Trains every scenario in turn (all workers must run the same list). */
  static void run(Path data, Path out, World world, int globalBatch, long steps, List<String> scenarios)
      throws IOException {
    Engine.disableGradientsForThisThread();
    Dataset pool = UnlabeledAudio.read(data.resolve("pool"));
    Dataset train = FolderDataset.read(data.resolve("train"));
    FeatureSource source = TinyData.features();
    try (DataParallel parallel = world.isDistributed() ? DataParallel.join(world) : null) {
      for (String scenario : scenarios) {
        try (TensorScope manager = TensorScope.newBaseScope()) {
          Objective objective = objective(scenario, manager, train.classes().size());
          Dataset dataset = scenario.equals("finetune") ? train : pool;
          // Adam's epsilon at 1e-6 rather than 1e-8: near-zero gradients, whose last bits depend on the order of
          // float sums, would otherwise be blown up to full-size updates and hide what the test compares
          AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.01, 1, 2, true),
              new AdamW.Settings(0.9, 0.95, 1e-6, true));
          Path runDir = out.resolve(scenario);
          TrainingListener afterFirstStep = new TrainingListener() {
            @Override
            public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
              if (done == 1) {
                writeWeights(objective, runDir.resolve("weights-step-1.safetensors"));
              }
            }
          };
          try (BatchLoader loader = new BatchLoader(dataset, source, new Sampler.Shuffled(dataset.size(), 5),
              globalBatch, 5, Augmentation.NONE, 1, 1, new BatchLoader.Shard(world.rank(), world.size()))) {
            new Trainer(objective, loader, adam, new LrSchedule.Constant(1e-4), new TrainerConfig(steps, 1, 1.0,
                steps, 1, 5), runDir, Map.of("title", scenario), afterFirstStep, Execution.CPU.in(world))
                .dataParallel(parallel).run(false);
          }
          if (world.isLeader()) {
            writeWeights(objective, runDir.resolve("weights.safetensors"));
          }
        }
      }
    }
  }

  /** Every checkpointed parameter of {@code objective} (trainable, then frozen) as a safetensors file. */
  static void writeWeights(Objective objective, Path file) {
    Map<String, HostTensor> weights = new LinkedHashMap<>();
    Map<String, Module> modules = new LinkedHashMap<>(objective.trainable());
    modules.putAll(objective.frozen());
    modules.forEach((name, m) -> StateDict.of(m).forEach((k, v) -> weights.put(name + "." + k, v)));
    try {
      java.nio.file.Files.createDirectories(file.getParent());
      Safetensors.write(file, weights, Map.of());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The scenario's objective, with settings under which several workers train exactly like one: EAT's
   * utterance term averaged over clones ({@code eat}; {@code eat-sum} keeps the released code's per-worker sum),
   * ASiT without cross-clip pasting (its partner is drawn from each worker's own clips, as in the official code)
   * and without the reconstruction term (normalised by each worker's masked cells, as in the official code).
   */
  static Objective objective(String scenario, TensorScope manager, int classes) {
    return switch (scenario) {
      case "ssast" -> SsastTrainingTest.objective(manager, 3);
      case "eat", "eat-sum" -> {
        AudioTransformerConfig config = ModelRegistry.get("eat-micro", 48, 0);
        EatConfig eat = new EatConfig(new InverseBlockMasking(0.5, 0.07, 3), 2, 2, 3, 16, 0.01,
            new EmaSchedule(0.9, 0.99, 20), 1, scenario.equals("eat") ? EatConfig.UtteranceReduction.MEAN_OVER_CLONES
                : EatConfig.UtteranceReduction.SUM_OVER_CLONES, 2);
        yield new EatObjective(new AudioTransformer(manager, config, 3), new AudioTransformer(manager, config, 4),
            new EatDecoder(manager, 64, 2, 3, 16, new SplittableRandom(3)), eat, 3);
      }
      case "asit" -> {
        AsitConfig c = AsitTrainingTest.config();
        AsitConfig noPaste = new AsitConfig(c.cropFrames(), new GroupMasking(0.7, 0, 0.5, 1, 0.3), c.rollProbability(),
            c.outDimCls(), c.outDimData(), c.headHidden(), c.headBottleneck(), c.reconstructionHidden(),
            c.reconstructionBottleneck(), c.studentTemperature(), c.teacherTemperatureStart(), c.teacherTemperature(),
            c.teacherTemperatureWarmupSteps(), c.centerMomentum(), c.momentumStart(), c.weightDecayEnd(),
            0);
        AudioTransformerConfig backbone = ModelRegistry.get("vit-micro", 32, 0);
        yield new AsitObjective(new AsitPipeline(manager, backbone.withRegularisation(0, 0, 0.1), noPaste, 3),
            new AsitPipeline(manager, backbone, noPaste, 4), noPaste, 20, 0.04, 3);
      }
      case "ssmast" -> SsmastTrainingTest.objective(manager, 3);
      case "finetune" -> {
        Encoder model = ModelRegistry.encoder("ssast-micro-patch", 48, classes, manager, 3);
        yield new ClassificationObjective(model, false, 0.1, false, 3);
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
  }
}
