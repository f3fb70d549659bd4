package dev.earshot.recipe;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.earshot.ConfigException;
import dev.earshot.data.Clip;
import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import dev.earshot.data.FeatureSource;
import dev.earshot.eval.ShallowClassifier;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FeatureStatistics;
import dev.earshot.features.Normalization;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.io.AtomicFile;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.Encoder;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.mast.MultiscaleTransformer;
import dev.earshot.train.MetricsLog;
import dev.earshot.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Pretrains several methods on the same unlabelled pool under the same budget and evaluates every resulting
 * encoder — and a randomly initialised one ("scratch") — on every task three ways: linear probe, full
 * fine-tuning (both with the {@code finetune-cpu} recipe), and a frozen-embedding shallow classifier in the
 * style of HEAR. Everything is written under the output folder as it finishes; a rerun skips what exists
 * and resumes an interrupted pretraining from its checkpoint.
 *
 * <p>Layout: {@code OUT/pretrain/<method>/} (a pretraining run), {@code OUT/tasks/<task>/<method>/probe|
 * finetune|frozen/results.json}, {@code OUT/results.json}, {@code OUT/results.md} and three plots.
 */
public final class Comparison {
  private Comparison() {}

  private static final int CALIBRATION_STEPS = 30;
  private static final int WARM_UP_STEPS = 10;

  /**
   * A labelled evaluation task.
   *
   * @param name how the task is called in the table
   * @param spec its data, FORMAT:PATH (folds or train/test groups of the format are used when it has them)
   * @param testSpec a separate test set (FORMAT:PATH), or null
   */
  public record Task(String name, String spec, String testSpec) {
    /** {@code NAME=FORMAT:PATH}. */
    public static Task parse(String text) {
      String[] nameSpec = nameAndSpec("--task", text);
      return new Task(nameSpec[0], nameSpec[1], null);
    }

    /** This task with the test set named by {@code NAME=FORMAT:PATH} when NAME is this task's. */
    Task withTest(String text) {
      String[] nameSpec = nameAndSpec("--test", text);
      return nameSpec[0].equals(name) ? new Task(name, spec, nameSpec[1]) : this;
    }

    /** Attaches each {@code --test NAME=SPEC} to its task; a test naming no task is an error. */
    public static List<Task> withTests(List<Task> tasks, List<String> tests) {
      List<Task> out = new ArrayList<>(tasks);
      for (String t : tests) {
        String name = nameAndSpec("--test", t)[0];
        if (tasks.stream().noneMatch(task -> task.name().equals(name))) {
          throw new ConfigException("--test " + t + ": no --task is called '" + name + "'");
        }
        out.replaceAll(task -> task.withTest(t));
      }
      return out;
    }

    private static String[] nameAndSpec(String option, String text) {
      int eq = text.indexOf('=');
      if (eq <= 0 || eq == text.length() - 1) {
        throw new ConfigException(option + ": expected NAME=FORMAT:PATH, got '" + text + "'");
      }
      return new String[] {text.substring(0, eq), text.substring(eq + 1)};
    }
  }

  /**
   * What to compare.
   *
   * @param methods ssast, eat, asit, ssmast and/or scratch
   * @param pool the unlabelled pretraining data (FORMAT:PATH)
   * @param size micro, tiny, small or base
   * @param frames input length of every model
   * @param budgetMinutes wall-clock pretraining budget per method (measured, then turned into a step count), or
   *     null
   * @param budgetSteps pretraining steps per method, used when budgetMinutes is null
   * @param epochs fine-tuning and linear-probe epochs
   * @param seed seed of the pretraining runs and of the first fine-tuning repeat
   * @param repeats fine-tuning and probing runs per fold, with seeds seed, seed+1, ... (their spread is the
   *     reported standard deviation together with the folds')
   */
  public record Plan(List<String> methods, String pool, List<Task> tasks, String size, int frames,
      Double budgetMinutes, long budgetSteps, double epochs, long seed, int repeats) {
    public Plan {
      if (repeats < 1) {
        throw new ConfigException("--repeats: at least 1, got " + repeats);
      }
      if (budgetMinutes != null && !(budgetMinutes > 0)) {
        throw new ConfigException("--budget-minutes: must be positive, got " + budgetMinutes);
      }
      if (budgetMinutes == null && budgetSteps < 1) {
        throw new ConfigException("--budget-steps: at least 1, got " + budgetSteps);
      }
      for (String m : methods) {
        if (!List.of("ssast", "eat", "asit", "ssmast", "scratch").contains(m)) {
          throw new ConfigException("--methods: unknown '" + m + "' (ssast, eat, asit, ssmast, scratch)");
        }
      }
      if (!List.of("micro", "tiny", "small", "base").contains(size)) {
        throw new ConfigException("--model: micro, tiny, small or base, got '" + size + "'");
      }
      if (methods.stream().distinct().count() != methods.size()) {
        throw new ConfigException("--methods: a method is listed twice: " + methods);
      }
      if (tasks.isEmpty()) {
        throw new ConfigException("--task: give at least one NAME=FORMAT:PATH");
      }
    }
  }

  /** One evaluation: mean and standard deviation over folds of the task's metric. */
  public record Score(String metric, double mean, double std) {}

  /**
   * One method's row.
   *
   * @param progress the frozen clip-embedding score on the first task against pretraining time: a point per
   *     pretraining snapshot, starting at 0 s with the randomly initialised architecture
   */
  public record Row(String method, String model, long pretrainSteps, double pretrainSeconds,
      Map<String, Map<String, Score>> tasks, List<Point> progress) {
    /** The row's name in tables and plots: the method, or "scratch-MODEL". */
    public String name() {
      return method.equals("scratch") ? "scratch-" + model : method;
    }
  }

  /** A score after {@code seconds} of pretraining ({@code step} updates). */
  public record Point(long step, double seconds, double score) {}

  /** The whole comparison. */
  public record Report(Plan plan, List<String> normalization, List<Row> rows) {}

  /**
   * What gets a row, as {method, model, name}: every pretraining method, then — where "scratch" is listed — a
   * randomly initialised model of every architecture those methods use (SSAST's if none), so each method can
   * be read against its own architecture trained without pretraining. Names are unique ("scratch-MODEL").
   */
  static List<String[]> entries(Plan plan) {
    List<String[]> pretrained = new ArrayList<>();
    for (String m : plan.methods()) {
      if (!m.equals("scratch")) {
        pretrained.add(new String[] {m, model(m, plan.size()), m});
      }
    }
    List<String[]> out = new ArrayList<>();
    for (String m : plan.methods()) {
      if (!m.equals("scratch")) {
        out.add(new String[] {m, model(m, plan.size()), m});
        continue;
      }
      List<String> models = pretrained.stream().map(e -> e[1]).distinct().toList();
      for (String model : models.isEmpty() ? List.of(model("scratch", plan.size())) : models) {
        out.add(new String[] {"scratch", model, "scratch-" + model});
      }
    }
    return out;
  }

  /** The registry name of each method's architecture at {@code size}. */
  public static String model(String method, String size) {
    return switch (method) {
      case "ssast", "scratch" -> "ssast-" + size + "-patch";
      case "eat" -> "eat-" + size;
      case "asit" -> "vit-" + size;
      case "ssmast" -> "mast-" + size;
      default -> throw new ConfigException("unknown method " + method);
    };
  }

  /**
   * Runs (or resumes) the comparison.
   *
   * @param progress a listener per stage name ("pretrain ssast", "ssast esc50 finetune fold 1", ...)
   * @param log one line per finished stage
   */
  public static Report run(Plan plan, Path out, BiFunction<String, Long, TrainingListener> progress,
      Consumer<String> log) {
    Dataset pool = DatasetSource.read(plan.pool());
    Normalization norm = normalization(pool, plan.frames(), out);
    String normText = norm.mean() + "," + norm.std();
    log.accept(String.format(Locale.ROOT, "normalisation of the pool: mean %.4f, std %.4f", norm.mean(), norm.std()));
    List<Row> rows = new ArrayList<>();
    Map<String, Dataset[]> tasks = new LinkedHashMap<>(); // name -> {data, test or null}
    for (Task t : plan.tasks()) {
      tasks.put(t.name(), new Dataset[] {DatasetSource.read(t.spec()),
          t.testSpec() == null ? null : DatasetSource.read(t.testSpec())});
    }
    for (String[] entry : entries(plan)) {
      String method = entry[0];
      String model = entry[1];
      String name = entry[2];
      long steps = 0;
      double seconds = 0;
      Path modelDir = null;
      List<Point> curve = new ArrayList<>();
      if (!method.equals("scratch")) {
        PretrainRecipe recipe = pretrainRecipe(method, model, plan, normText, plan.budgetSteps(), true);
        if (plan.budgetMinutes() != null) {
          steps = stepsForBudget(method, model, plan, normText, pool, out, progress, log);
          recipe = pretrainRecipe(method, model, plan, normText, steps, true);
        } else {
          steps = plan.budgetSteps();
        }
        Path run = out.resolve("pretrain").resolve(method);
        Pretraining.Result r = Pretraining.run(recipe, pool, run, null, true, null,
            progress.apply("pretrain " + method, steps));
        seconds = trainingSeconds(r.log());
        modelDir = r.modelDir();
        log.accept(String.format(Locale.ROOT, "pretrained %s (%s): %d steps, %.0f s -> %s", method, model, steps,
            seconds, modelDir));
        try {
          curve = progressCurve(plan, tasks.entrySet().iterator().next(), method, model, normText, run, r.log(), out);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        log.accept(method + " frozen score during pretraining: " + curve.stream().map(p -> String.format(Locale.ROOT,
            "%.0f s %.3f", p.seconds(), p.score())).collect(java.util.stream.Collectors.joining(", ")));
      }
      Map<String, Map<String, Score>> scores = new LinkedHashMap<>();
      for (Map.Entry<String, Dataset[]> task : tasks.entrySet()) {
        Dataset data = task.getValue()[0];
        Dataset test = task.getValue()[1];
        Map<String, Score> s = new LinkedHashMap<>();
        Path taskDir = out.resolve("tasks").resolve(task.getKey()).resolve(name);
        for (String kind : List.of("probe", "finetune")) {
          s.put(kind, evaluate(plan, data, test, modelDir, model, normText, kind.equals("probe"),
              taskDir.resolve(kind), fold -> progress.apply(name + " " + task.getKey() + " " + kind + " " + fold,
                  null)));
        }
        for (String kind : List.of("frozen", "frames")) {
          s.put(kind, frozen(plan, data, test, modelDir, model, normText, kind.equals("frames"), taskDir.resolve(kind)));
        }
        scores.put(task.getKey(), s);
        log.accept(String.format(Locale.ROOT, "%s on %s: probe %s, fine-tune %s, frozen clip %s, frozen frames %s",
            name, task.getKey(), text(s.get("probe")), text(s.get("finetune")), text(s.get("frozen")),
            text(s.get("frames"))));
      }
      rows.add(new Row(method, model, steps, seconds, scores, curve));
    }
    Report report = new Report(plan, List.of(Double.toString(norm.mean()), Double.toString(norm.std())), rows);
    try {
      write(out, report);
      ComparisonPlots.write(out, report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return report;
  }

  private static String text(Score s) {
    return String.format(Locale.ROOT, "%.3f±%.3f", s.mean(), s.std());
  }

  /** The pool's statistics, measured once and kept in OUT/normalization.json. */
  private static Normalization normalization(Dataset pool, int frames, Path out) {
    Path file = out.resolve("normalization.json");
    ObjectMapper json = new ObjectMapper();
    try {
      if (Files.exists(file)) {
        double[] v = json.readValue(file.toFile(), double[].class);
        return new Normalization(v[0], v[1]);
      }
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < pool.size() && files.size() < 500; i += Math.max(1, pool.size() / 500)) {
        files.add(pool.clips().get(i).file());
      }
      Normalization n = FeatureStatistics.compute(files, dev.earshot.audio.AudioLoader.DEFAULT, FbankConfig.ast(),
          frames, d -> { }).toNormalization();
      Files.createDirectories(out);
      AtomicFile.write(file, json.writeValueAsBytes(new double[] {n.mean(), n.std()}));
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The method's CPU recipe at this size and length, with crops scaled to the length. */
  private static PretrainRecipe pretrainRecipe(String method, String model, Plan plan, String norm, long steps,
      boolean snapshots) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", model);
    o.put("frames", plan.frames());
    o.put("steps", steps);
    o.put("seed", plan.seed());
    o.put("normalization", norm);
    // a multiple of the log interval; the calibration only checkpoints at its end, outside the timed steps
    o.put("checkpointEvery", snapshots ? Math.max(10, steps / 5 / 10 * 10) : steps);
    o.put("snapshots", snapshots);
    int crop = Math.max(32, plan.frames() * 2 / 3 / 16 * 16);
    if (method.equals("asit")) {
      o.put("asit", Map.of("cropFrames", crop));
    } else if (method.equals("ssmast")) {
      o.put("ssmast", Map.of("cropFrames", crop));
    } else if (method.equals("eat")) {
      o.put("eat", Map.of("emaAnnealSteps", steps));
    }
    return Recipes.bind(Recipes.merge(Recipes.load(method + "-cpu"), o), PretrainRecipe.class,
        "comparison recipe for " + method);
  }

  /**
   * Measures seconds per step on {@link #CALIBRATION_STEPS} steps, timing those after the first
   * {@link #WARM_UP_STEPS} (the first steps are slower: native warm-up, empty prefetch queue), and turns the budget
   * into a step count.
   */
  private static long stepsForBudget(String method, String model, Plan plan, String norm, Dataset pool, Path out,
      BiFunction<String, Long, TrainingListener> progress, Consumer<String> log) {
    Path file = out.resolve("pretrain").resolve(method + "-budget.json");
    ObjectMapper json = new ObjectMapper();
    try {
      if (Files.exists(file)) {
        return json.readValue(file.toFile(), long.class);
      }
      Path probe = out.resolve("pretrain").resolve(method + "-calibration");
      TrainingListener bar = progress.apply("calibrate " + method, (long) CALIBRATION_STEPS);
      long[] stepEnds = new long[CALIBRATION_STEPS + 1]; // nanoTime at the end of each step, timed as a run is
      Pretraining.run(pretrainRecipe(method, model, plan, norm, CALIBRATION_STEPS, false), pool, probe, null, false,
          null, new TrainingListener() {
            @Override
            public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
              stepEnds[(int) done] = System.nanoTime();
              bar.onStep(done, total, lr, metrics);
            }
          });
      double perStep = (stepEnds[CALIBRATION_STEPS] - stepEnds[WARM_UP_STEPS]) / 1e9
          / (CALIBRATION_STEPS - WARM_UP_STEPS);
      long steps = Math.max(10, (long) (plan.budgetMinutes() * 60 / perStep));
      log.accept(String.format(Locale.ROOT, "%s: %.3f s per step -> %d steps in %.1f min", method, perStep, steps,
          plan.budgetMinutes()));
      AtomicFile.write(file, json.writeValueAsBytes(steps));
      return steps;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The frozen clip-embedding score on one task of the random architecture (0 s, shared with the scratch row)
   * and of every pretraining snapshot, each cached in {@code OUT/tasks/<task>/<method>/progress/step-N}.
   */
  private static List<Point> progressCurve(Plan plan, Map.Entry<String, Dataset[]> task, String method, String model,
      String norm, Path run, MetricsLog log, Path out) throws IOException {
    Path dir = out.resolve("tasks").resolve(task.getKey()).resolve(method).resolve("progress");
    Dataset data = task.getValue()[0];
    Dataset test = task.getValue()[1];
    List<Point> curve = new ArrayList<>();
    // step 0 is the scratch row's frozen clip evaluation of this architecture: the same encoder and cache
    Path scratch = out.resolve("tasks").resolve(task.getKey()).resolve("scratch-" + model);
    Path random = randomEncoder(model, plan, norm, scratch.resolve("random-encoder"));
    curve.add(new Point(0, 0, frozen(plan, data, test, random, model, norm, false, scratch.resolve("frozen")).mean()));
    Path snapshots = run.resolve("snapshots");
    List<Long> steps = new ArrayList<>();
    if (Files.isDirectory(snapshots)) {
      try (var list = Files.list(snapshots)) {
        list.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+"))
            .map(n -> Long.parseLong(n.substring(5))).sorted().forEach(steps::add);
      }
    }
    for (long step : steps) {
      double seconds = 0;
      for (Map<String, Double> row : log.rows()) { // the last logged time at or before the snapshot
        if (row.get("step") <= step) {
          seconds = row.getOrDefault("seconds", seconds);
        }
      }
      Path snapshot = snapshots.resolve("step-" + step);
      curve.add(new Point(step, seconds,
          frozen(plan, data, test, snapshot, model, norm, false, dir.resolve("step-" + step)).mean()));
    }
    return curve;
  }

  private static double trainingSeconds(MetricsLog log) {
    List<Map<String, Double>> rows = log.rows();
    return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).getOrDefault("seconds", 0.0);
  }

  /**
   * Linear probe or full fine-tuning with the finetune-cpu recipe, once per repeat (seed, seed+1, ...); each run
   * is cached in its folder's results.json. The score pools every fold of every repeat.
   */
  private static Score evaluate(Plan plan, Dataset data, Dataset test, Path init, String model, String norm,
      boolean probe, Path dir, java.util.function.Function<String, TrainingListener> progress) {
    ObjectMapper json = new ObjectMapper();
    List<Map<String, Double>> runs = new ArrayList<>();
    try {
      for (int r = 0; r < plan.repeats(); r++) {
        long seed = plan.seed() + r;
        Path runDir = plan.repeats() == 1 ? dir : dir.resolve("seed-" + seed);
        Path results = runDir.resolve("results.json");
        if (!Files.exists(results)) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("frames", plan.frames());
          o.put("epochs", plan.epochs());
          o.put("seed", seed);
          o.put("normalization", norm);
          o.put("linearProbe", probe);
          if (probe) {
            o.put("lr", 1e-2); // a head alone learns with a larger rate
          }
          FineTuneRecipe recipe = Recipes.bind(Recipes.merge(Recipes.load("finetune-cpu"), o), FineTuneRecipe.class,
              "comparison fine-tuning");
          FineTuning.run(recipe, data, test, "auto", init, init == null ? model : null, runDir, null, progress);
        }
        for (com.fasterxml.jackson.databind.JsonNode fold : json.readTree(results.toFile()).get("folds")) {
          Map<String, Double> m = new LinkedHashMap<>();
          fold.get("metrics").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
          runs.add(m);
        }
      }
      return pooled(runs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Mean and sample standard deviation (0 for one run) of the task metric over runs, as fine-tuning reports. */
  private static Score pooled(List<Map<String, Double>> runs) {
    String metric = runs.get(0).containsKey("accuracy") ? "accuracy" : "mAP";
    double mean = runs.stream().mapToDouble(m -> m.get(metric)).average().orElse(Double.NaN);
    double sq = runs.stream().mapToDouble(m -> (m.get(metric) - mean) * (m.get(metric) - mean)).sum();
    return new Score(metric, mean, runs.size() > 1 ? Math.sqrt(sq / (runs.size() - 1)) : 0);
  }

  private static Score score(com.fasterxml.jackson.databind.JsonNode summary) {
    String metric = summary.has("accuracy") ? "accuracy" : "mAP";
    return new Score(metric, summary.get(metric).get(0).asDouble(), summary.get(metric).get(1).asDouble());
  }

  /**
   * Frozen embeddings and a shallow classifier per fold (cached in dir/results.json), HEAR style. Clip level
   * ({@code frames == false}): the encoder's clip embedding. Timestamp level: the per-time-step embeddings
   * (patches averaged over frequency); the classifier is trained on every time step with its clip's label and
   * a clip's score is the mean of its time steps' scores — our formats carry clip labels only, so this is how
   * timestamp embeddings are judged here. Scratch uses a randomly initialised encoder.
   */
  private static Score frozen(Plan plan, Dataset data, Dataset test, Path init, String model, String norm,
      boolean frames, Path dir) {
    Path results = dir.resolve("results.json");
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      if (Files.exists(results)) {
        return score(json.readTree(results.toFile()).get("summary"));
      }
      Path encoder = init != null ? init
          : randomEncoder(model, plan, norm, dir.getParent().resolve("random-encoder"));
      List<Protocol.Fold> folds = Protocol.folds("auto", data, test, plan.seed());
      List<Map<String, Double>> foldMetrics = new ArrayList<>();
      try (AudioEmbedder embedder = AudioEmbedder.open(encoder)) {
        FeatureSource source = new FeatureSource(embedder.spec().frontEnd(), null);
        for (Protocol.Fold fold : folds) {
          List<float[][]> trainX = embeddings(embedder, source, fold.train(), frames);
          List<float[][]> testX = embeddings(embedder, source, fold.test(), frames);
          float[][] trainY = targets(fold.train());
          // every time step (or the one clip embedding) of a clip carries the clip's label
          List<float[]> rowsX = new ArrayList<>();
          List<float[]> rowsY = new ArrayList<>();
          for (int i = 0; i < trainX.size(); i++) {
            for (float[] step : trainX.get(i)) {
              rowsX.add(step);
              rowsY.add(trainY[i]);
            }
          }
          ShallowClassifier c = ShallowClassifier.fit(rowsX.toArray(new float[0][]), rowsY.toArray(new float[0][]),
              data.multiLabel(), 300, 1e-3);
          float[][] clipScores = new float[testX.size()][];
          for (int i = 0; i < testX.size(); i++) {
            clipScores[i] = ShallowClassifier.meanOf(c.scores(testX.get(i)));
          }
          foldMetrics.add(ShallowClassifier.metrics(clipScores, targets(fold.test()), data.multiLabel()));
        }
      }
      Score s = pooled(foldMetrics);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("encoder", encoder.toString());
      out.put("embeddings", frames ? "per time step (patches averaged over frequency), clip score = mean of steps"
          : "clip embedding");
      out.put("classifier", "standardised embeddings, linear layer, Adam lr 0.01, 300 full-batch epochs, L2 1e-3");
      out.put("folds", foldMetrics);
      out.put("summary", Map.of(s.metric(), new double[] {s.mean(), s.std()}));
      AtomicFile.write(results, json.writeValueAsBytes(out));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A randomly initialised encoder of {@code model}, written as a model directory (the frozen baseline). */
  private static Path randomEncoder(String model, Plan plan, String norm, Path dir) throws IOException {
    if (!Files.exists(dir.resolve(ModelDirectory.MANIFEST))) {
      String[] mv = norm.split(",");
      PretrainedSpec spec = PretrainedSpec.ast(new Normalization(Double.parseDouble(mv[0]), Double.parseDouble(mv[1])),
          plan.frames(), List.of(), OutputActivation.SOFTMAX, "random initialisation (seed " + plan.seed() + ")");
      try (NDManager m = NDManager.newBaseManager()) {
        Encoder e = ModelRegistry.isMultiscale(model)
            ? new MultiscaleTransformer(m, ModelRegistry.multiscale(model, plan.frames(), 0), plan.seed())
            : new AudioTransformer(m, ModelRegistry.get(model, plan.frames(), 0), plan.seed());
        ModelDirectory.write(dir, e, spec);
      }
    }
    return dir;
  }

  /** Per clip: its clip embedding as a single row (1, D), or its per-time-step embeddings (T', D). */
  private static List<float[][]> embeddings(AudioEmbedder embedder, FeatureSource source, Dataset data,
      boolean frames) {
    List<float[][]> out = new ArrayList<>();
    if (frames) {
      for (Clip c : data.clips()) {
        out.add(embedder.embedTokensOfFeatures(source.features(c)).perTimeStep());
      }
      return out;
    }
    List<float[][]> features = new ArrayList<>();
    for (Clip c : data.clips()) {
      features.add(source.features(c));
    }
    for (float[] v : embedder.embedAll(features)) {
      out.add(new float[][] {v});
    }
    return out;
  }

  private static float[][] targets(Dataset data) {
    float[][] y = new float[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      y[i] = data.target(data.clips().get(i));
    }
    return y;
  }

  private static void write(Path out, Report report) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    AtomicFile.write(out.resolve("results.json"), json.writeValueAsBytes(report));
    AtomicFile.writeString(out.resolve("results.md"), markdown(report));
  }

  /** The Markdown table: one row per method, per task the four evaluations as mean ± std. */
  public static String markdown(Report report) {
    StringBuilder sb = new StringBuilder();
    sb.append("| method | model | pretraining |");
    for (Task t : report.plan().tasks()) {
      for (String kind : List.of("probe", "fine-tune", "frozen clip", "frozen frames")) {
        sb.append(' ').append(t.name()).append(' ').append(kind).append(" |");
      }
    }
    sb.append("\n|---|---|---|");
    report.plan().tasks().forEach(t -> sb.append("---|---|---|---|"));
    sb.append('\n');
    for (Row r : report.rows()) {
      sb.append("| ").append(r.method()).append(" | ").append(r.model()).append(" | ")
          .append(r.method().equals("scratch") ? "none"
              : String.format(Locale.ROOT, "%d steps, %.0f s", r.pretrainSteps(), r.pretrainSeconds()))
          .append(" |");
      for (Task t : report.plan().tasks()) {
        for (String kind : KINDS) {
          Score s = r.tasks().get(t.name()).get(kind);
          sb.append(String.format(Locale.ROOT, " %.1f ± %.1f |", 100 * s.mean(), 100 * s.std()));
        }
      }
      sb.append('\n');
    }
    String metric = report.rows().isEmpty() ? "accuracy"
        : report.rows().get(0).tasks().values().iterator().next().get("finetune").metric();
    sb.append("\n").append(metric).append(String.format(Locale.ROOT, " in %%, mean ± std over folds and %d seed(s)"
        + " (probe, fine-tune; frozen: over folds). Probe and fine-tune: recipe finetune-cpu, %s epochs;"
        + " frozen: a linear classifier on the clip embedding or on every time step's embedding.%n",
        report.plan().repeats(), fmt(report.plan().epochs())));
    return sb.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** The evaluations of every task, in table order: probe, finetune, frozen (clip), frames (timestamps). */
  public static final List<String> KINDS = List.of("probe", "finetune", "frozen", "frames");
}
