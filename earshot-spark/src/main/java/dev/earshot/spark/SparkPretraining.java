package dev.earshot.spark;

import dev.earshot.ConfigException;
import dev.earshot.io.Json;
import dev.earshot.pretrain.Export;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.Recipes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StringType;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Data-parallel pretraining launched by Spark: a barrier stage of {@code workers} tasks, each task one rank of
 * {@link dev.earshot.recipe.Pretraining} (the same run as {@code earshot pretrain --workers N}), so a Spark
 * cluster pretrains without another scheduler.
 *
 * <pre>{@code
 * Dataset<Row> clips = EarshotSpark.audioPaths(spark, "hdfs:///audio/unlabelled").orderBy("path");
 * SparkPretraining.Result r = SparkPretraining.run(clips, "path", Recipes.load("ssast-cpu"), "/shared/runs/ssast",
 *     PretrainLaunch.of(8));
 * }</pre>
 *
 * <p>The clip list is the table's path column in table order (sort it for a reproducible run), collected on the
 * driver and broadcast; every rank reads its share of each global batch from it (files on other Hadoop file
 * systems are first copied to each executor's temporary folder). Rank 0 hosts the rendezvous on a free port of
 * its host, shared through the barrier's {@code allGather}, and writes the checkpoints, metrics and models into
 * the run folder — a path on rank 0's machine, or (to resume on any executor) a shared mount. A failed rank
 * fails the stage; a re-attempted stage continues from the last checkpoint.
 */
public final class SparkPretraining {
  private SparkPretraining() {}

  /**
   * The run: where it was written, rank 0's last logged metrics, time, and clips the loader skipped.
   *
   * @param modelDir the exported encoder ({@code RUN/model})
   * @param resumed whether the ranks continued from a checkpoint
   */
  public record Result(String runDir, String modelDir, Map<String, Double> lastMetrics, double seconds,
      int clips, List<String> skipped, String inputSummary, boolean resumed) {}

  /**
   * Pretrains on the clips of {@code table}'s {@code pathColumn} (paths or URIs) with the recipe {@code recipe}
   * (a key/value tree as {@link Recipes#load} gives, with any overrides merged) into {@code runDir}.
   */
  public static Result run(Dataset<Row> table, String pathColumn, Map<String, Object> recipe, String runDir,
      PretrainLaunch launch) {
    PretrainRecipe checked = Recipes.pretrain(recipe, "recipe"); // errors here, on the driver
    if (!(table.schema().apply(pathColumn).dataType() instanceof StringType)) {
      throw new ConfigException("pretraining reads clips by path: column '" + pathColumn + "' must hold strings");
    }
    List<String> paths = new ArrayList<>(table.select(pathColumn).where(pathColumn + " is not null")
        .as(Encoders.STRING()).collectAsList());
    if (paths.isEmpty()) {
      throw new ConfigException("the table has no clips to pretrain on");
    }
    if (paths.size() < checked.batchSizeOrDefault()) {
      throw new ConfigException("the table has " + paths.size() + " clips, fewer than a batch of "
          + checked.batchSizeOrDefault());
    }
    SparkSession spark = table.sparkSession();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<List<String>> clips = context.broadcast(paths);
    Broadcast<HadoopConfiguration> hadoop = context.broadcast(
        new HadoopConfiguration(spark.sparkContext().hadoopConfiguration()));
    String recipeJson;
    try {
      recipeJson = Json.line(recipe);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaRDD<Integer> ranks = context.parallelize(IntStream.range(0, launch.workers()).boxed().toList(),
        launch.workers());
    ClassTag<RankTask.Outcome> tag = ClassTag$.MODULE$.apply(RankTask.Outcome.class);
    RDD<RankTask.Outcome> stage = ranks.rdd().barrier()
        .mapPartitions(new RankTask(clips, hadoop, recipeJson, runDir, launch), false, tag);
    spark.sparkContext().setJobDescription("earshot pretrain: " + launch.workers() + " ranks, " + paths.size()
        + " clips");
    List<RankTask.Outcome> outcomes;
    try {
      outcomes = new ArrayList<>(JavaRDD.fromRDD(stage, tag).collect());
    } finally {
      spark.sparkContext().setJobDescription(null);
      clips.destroy();
    }
    outcomes.sort(Comparator.comparingInt(RankTask.Outcome::rank));
    RankTask.Outcome leader = outcomes.get(0);
    List<String> skipped = outcomes.stream().flatMap(o -> o.skipped().stream()).distinct().toList();
    return new Result(runDir, runDir + "/" + Export.MAIN, leader.lastMetrics(), leader.seconds(), paths.size(),
        skipped, leader.inputSummary(), leader.resumed());
  }
}
