package dev.earshot.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.earshot.data.UnlabeledAudio;
import dev.earshot.io.Json;
import dev.earshot.recipe.Pretraining;
import dev.earshot.recipe.Recipes;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.World;
import dev.earshot.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One process of the reference run in {@link SparkPretrainingTest}: rank {@code RANK} of a data-parallel
 * pretraining on loopback, exactly as {@code earshot pretrain --workers N} starts each worker process.
 *
 * <p>Arguments: {@code RECIPE.json POOL RUN RANK WORLD PORT}.
 */
public final class PretrainingWorker {
  private PretrainingWorker() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> tree = Json.read(Files.readString(Path.of(args[0])), new TypeReference<Map<String, Object>>() { });
    int rank = Integer.parseInt(args[3]);
    int size = Integer.parseInt(args[4]);
    World world = new World(rank, size, rank, "127.0.0.1", Integer.parseInt(args[5]), Duration.ofSeconds(60));
    Pretraining.run(Recipes.pretrain(tree, "recipe"), UnlabeledAudio.read(Path.of(args[1])), Path.of(args[2]), null,
        false, null, new TrainingListener() { }, Execution.CPU.in(world));
  }
}
