package dev.earshot.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.earshot.ConfigException;
import dev.earshot.data.Dataset;
import dev.earshot.io.Json;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.Pretraining;
import dev.earshot.recipe.Recipes;
import dev.earshot.tensor.Engine;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.World;
import dev.earshot.train.TrainingListener;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * One barrier task of {@link SparkPretraining}: one data-parallel rank. Rank 0 picks a free port on its host
 * and shares {@code host:port} with every rank through {@link BarrierTaskContext#allGather}; then each task
 * trains as its rank with {@link Pretraining#run} (rank 0 hosts the rendezvous and writes checkpoints,
 * metrics and models), on its share of every global batch of the same clip list.
 */
final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<RankTask.Outcome>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a rank reports to the driver (rank 0's is the run's). */
  record Outcome(int rank, double seconds, HashMap<String, Double> lastMetrics, List<String> skipped,
      String inputSummary, boolean resumed) implements Serializable {}

  private final Broadcast<List<String>> clips;
  private final Broadcast<HadoopConfiguration> hadoop;
  private final String recipe;
  private final String runDir;
  private final PretrainLaunch launch;

  RankTask(Broadcast<List<String>> clips, Broadcast<HadoopConfiguration> hadoop, String recipeJson, String runDir,
      PretrainLaunch launch) {
    this.clips = clips;
    this.hadoop = hadoop;
    this.recipe = recipeJson;
    this.runDir = runDir;
    this.launch = launch;
  }

  @Override
  public Iterator<Outcome> apply(Iterator<Integer> ignored) {
    BarrierTaskContext task = BarrierTaskContext.get();
    BarrierTaskInfo[] tasks = task.getTaskInfos();
    int rank = task.partitionId();
    String host = rendezvousHost(tasks[0]);
    String[] shared = task.allGather(rank == 0 ? host + ":" + freePort(host) : "");
    String master = shared[0];
    int colon = master.lastIndexOf(':');
    World world = new World(rank, tasks.length, localRank(tasks, rank), master.substring(0, colon),
        Integer.parseInt(master.substring(colon + 1)), launch.timeout());
    PretrainRecipe r = Recipes.pretrain(tree(), "recipe");
    Dataset data = new Dataset("table of " + clips.value().size() + " clips",
        ClipStaging.clips(clips.value(), hadoop.value().get()), List.of(), false);
    // a re-attempted stage continues from the last checkpoint rather than starting again
    boolean resume = launch.resume() || task.stageAttemptNumber() > 0 || task.attemptNumber() > 0;
    int threads = launch.threadsPerWorker() > 0 ? launch.threadsPerWorker() : task.cpus();
    int threadsBefore = Engine.threads();
    Engine.setThreads(threads);
    Pretraining.Result result;
    try {
      Execution execution = Execution.parse(launch.compute().device(), launch.compute().precision()).in(world);
      result = Pretraining.run(r, data, Path.of(runDir), launch.init() == null ? null
          : ModelLocation.local(launch.init(), hadoop.value().get()), resume,
          launch.featureCache() == null ? null : Path.of(launch.featureCache()), progress(world, r), execution);
    } finally {
      Engine.setThreads(threadsBefore);
    }
    List<Map<String, Double>> rows = result.log().rows();
    HashMap<String, Double> last = rows.isEmpty() ? new HashMap<>() : new HashMap<>(rows.get(rows.size() - 1));
    Outcome outcome = new Outcome(rank, result.seconds(), last, new ArrayList<>(result.skipped()),
        result.inputSummary(), resume);
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(outcome).iterator());
  }

  private Map<String, Object> tree() {
    try {
      return Json.read(recipe, new TypeReference<Map<String, Object>>() { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where rank 0 hosts the rendezvous: loopback when every task runs in this JVM (local mode), else rank 0's
   * executor host, which the scheduler reaches and so can the other executors.
   */
  private static String rendezvousHost(BarrierTaskInfo rankZero) {
    if ("driver".equals(SparkEnv.get().executorId())) { // SparkContext.DRIVER_IDENTIFIER
      return "127.0.0.1";
    }
    String address = rankZero.address();
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }

  /** How many lower ranks share this rank's executor host (its GPU index on a multi-GPU machine). */
  private static int localRank(BarrierTaskInfo[] tasks, int rank) {
    String mine = host(tasks[rank].address());
    int local = 0;
    for (int r = 0; r < rank; r++) {
      local += host(tasks[r].address()).equals(mine) ? 1 : 0;
    }
    return local;
  }

  private static String host(String address) {
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }

  private static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new ConfigException("rank 0 found no free port on " + host + " for the rendezvous: " + e.getMessage());
    }
  }

  /** Rank 0 logs about ten progress lines to the executor's standard error. */
  private static TrainingListener progress(World world, PretrainRecipe r) {
    long total = r.stepsOrDefault();
    long every = Math.max(1, total / 10);
    return new TrainingListener() {
      @Override
      public void onStep(long done, long steps, double lr, Map<String, Double> metrics) {
        if (world.isLeader() && (done % every == 0 || done == steps)) {
          StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "earshot pretrain (%d ranks): step %d/%d",
              world.size(), done, steps));
          new java.util.TreeMap<>(metrics).forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s=%.4g", k, v)));
          System.err.println(line);
        }
      }
    };
  }
}
