package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@code pretrain} run was started with, stored as {@code RUN/run.json} so that {@code pretrain --resume
 * RUN} needs nothing else: the data spec and the paths made absolute (the run may be resumed from another
 * folder), the recipe name and every flag that overrode it.
 *
 * @param data the dataset spec, FORMAT:ABSOLUTE_PATH
 * @param recipe the recipe's name or absolute file
 * @param overrides the flags given, by recipe key (null values omitted)
 * @param init the absolute model directory the encoder started from, or null
 * @param cache the absolute feature cache folder, or null
 */
record PretrainInvocation(String data, String recipe, Map<String, Object> overrides, String init, String cache) {
  static final String FILE = "run.json";

  PretrainInvocation {
    overrides = overrides == null ? Map.of() : new LinkedHashMap<>(overrides);
  }

  /** A dataset spec with its path made absolute ("unlabeled:data/pool" to "unlabeled:/home/x/data/pool"). */
  static String absoluteSpec(String spec) {
    int colon = spec.indexOf(':');
    boolean hasFormat = colon > 0 && !spec.substring(0, colon).contains("/");
    String format = hasFormat ? spec.substring(0, colon + 1) : "";
    String rest = hasFormat ? spec.substring(colon + 1) : spec;
    String[] parts = rest.split(",", -1);
    StringBuilder sb = new StringBuilder(format);
    for (int i = 0; i < parts.length; i++) {
      sb.append(i == 0 ? "" : ",").append(parts[i].isEmpty() ? "" : Path.of(parts[i]).toAbsolutePath().normalize());
    }
    return sb.toString();
  }

  /** Recipe names stay names; a recipe given as an existing file is stored by its absolute path. */
  static String absoluteRecipe(String recipe) {
    return recipe != null && Files.isRegularFile(Path.of(recipe)) ? Path.of(recipe).toAbsolutePath().toString()
        : recipe;
  }

  static String absolute(Path p) {
    return p == null ? null : p.toAbsolutePath().normalize().toString();
  }

  void write(Path runDir) throws IOException {
    AtomicFile.writeString(runDir.resolve(FILE), Json.pretty(this));
  }

  /** The invocation stored in {@code runDir}, or a typed error saying what is missing. */
  static PretrainInvocation read(Path runDir) {
    Path file = runDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--resume " + runDir + ": no " + FILE + " there (not a pretraining run folder, or one "
          + "written before runs recorded their settings): give the original --data and other flags with -o "
          + runDir + " --resume");
    }
    try {
      return Json.read(file, PretrainInvocation.class);
    } catch (IOException e) {
      throw new ConfigException(file + ": unreadable run settings (" + e.getMessage() + ")", e);
    }
  }
}
