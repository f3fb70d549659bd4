package dev.earshot.interop;

import dev.earshot.tensor.TensorScope;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.ModelFootprint;
import dev.earshot.model.OutputActivation;
import dev.earshot.nn.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Entry point of checkpoint import, and small facts every importer needs. */
public final class Imports {
  private Imports() {}

  /**
   * Converts {@code file} (a file or, for Hugging Face formats, a folder) from {@code source}. The result is
   * checked before it is returned: the model it describes fits the budget ({@link ModelFootprint}), every one
   * of that model's parameters is present with its shape and nothing else is (the importers' key mappings
   * already refuse unexplained source keys), and every weight is finite unless
   * {@link ImportOptions#allowNonFinite()}.
   */
  public static ImportedModel run(ImportSource source, Path file, ImportOptions options) {
    ImportedModel model;
    try {
      model = switch (source) {
        case SSAST, AST -> TimmAstImporter.run(source, file, options);
        case AST_HF -> HuggingFaceAstImporter.run(file, options);
        case EAT, EAT_HF -> EatImporter.run(source, file, options);
        case ASIT -> AsitImporter.run(file, options, !options.student());
      };
    } catch (IndexOutOfBoundsException | ArithmeticException | NullPointerException | ClassCastException e) {
      // an importer reads shapes and entries a real checkpoint of the format has; this one lacks them
      throw new CheckpointFormatException(file, "not a well-formed " + source.cliName() + " checkpoint: a tensor or "
          + "entry the format has is missing or has the wrong number of dimensions (" + e.getClass().getSimpleName()
          + ")", e);
    }
    requireComplete(model, file);
    if (!options.allowNonFinite()) {
      requireFinite(model.weights(), file);
    }
    return model;
  }

  /** The imported weights are exactly the parameters of the model their configuration describes. */
  static void requireComplete(ImportedModel model, Path file) {
    ModelFootprint.of(model.config()).require(file, ModelFootprint.nativeBudget());
    try (TensorScope manager = TensorScope.newBaseScope()) {
      StateDict.requireFits(new AudioTransformer(manager, model.config(), 0), model.weights(), file);
    }
  }

  /** Every floating-point weight is finite. */
  static void requireFinite(Map<String, HostTensor> weights, Path file) {
    long bad = 0;
    String first = null;
    for (Map.Entry<String, HostTensor> e : weights.entrySet()) {
      if (!e.getValue().isFloating()) {
        continue;
      }
      for (float v : e.getValue().floats()) {
        if (!Float.isFinite(v)) {
          bad++;
          if (first == null) {
            first = e.getKey() + " (" + v + ")";
          }
        }
      }
    }
    if (bad > 0) {
      throw new CheckpointFormatException(file, bad + " weight value(s) are NaN or infinite, first in " + first
          + "; the model would score NaN (--allow-nonfinite imports it anyway)");
    }
  }

  /** Number of blocks, from keys like {@code <prefix>N.}. */
  static int countBlocks(Map<String, HostTensor> weights, String prefix, Path file) {
    Pattern p = Pattern.compile(Pattern.quote(prefix) + "(\\d+)\\..*");
    TreeSet<Integer> ids = new TreeSet<>();
    for (String k : weights.keySet()) {
      Matcher m = p.matcher(k);
      if (m.matches()) {
        try {
          ids.add(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
          throw new CheckpointFormatException(file, "block index too large in '" + k + "'");
        }
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    if (ids.first() != 0 || ids.last() != ids.size() - 1) {
      throw new CheckpointFormatException(file, "block indices under '" + prefix + "' are not contiguous from 0: "
          + (ids.size() > 20 ? ids.first() + " .. " + ids.last() + " (" + ids.size() + " blocks)" : ids));
    }
    return ids.size();
  }

  /** The published head counts of the DeiT/ViT widths (head dim 64, tiny 192 = 3 heads). */
  static Integer headsForWidth(int dim) {
    return switch (dim) {
      case 192 -> 3;
      case 384 -> 6;
      case 768 -> 12;
      case 1024 -> 16;
      default -> null;
    };
  }

  static HostTensor require(Map<String, HostTensor> w, String key, Path file) {
    HostTensor t = w.get(key);
    if (t == null) {
      throw new CheckpointFormatException(file, "missing tensor '" + key + "' (is this the right --from format?)");
    }
    return t;
  }

  /** Labels given by the user, or "class 0", "class 1", ... */
  static List<String> labels(List<String> given, int classes, Path file, List<String> notes) {
    if (classes == 0) {
      return List.of();
    }
    if (given != null) {
      if (given.size() != classes) {
        throw new CheckpointFormatException(file, "the model has " + classes + " outputs but " + given.size()
            + " labels were given");
      }
      return given;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      out.add("class " + i);
    }
    notes.add("no label names given (--labels): classes are named 'class 0' .. 'class " + (classes - 1) + "'");
    return out;
  }

  /** Multi-label for AudioSet-sized heads, single-label otherwise, unless the user said. */
  static OutputActivation activation(OutputActivation given, int classes, List<String> notes) {
    if (given != null) {
      return given;
    }
    OutputActivation a = classes == 527 ? OutputActivation.SIGMOID : OutputActivation.SOFTMAX;
    if (classes > 0) {
      notes.add("output activation " + a + " (" + (classes == 527 ? "527 AudioSet classes" : "single-label assumed")
          + "; override with --activation)");
    }
    return a;
  }

  /** "format:path sha256=..." for the spec's source field. */
  static String describe(ImportSource source, Path file) {
    String hash = "";
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
        hash = " sha256=" + HexFormat.of().formatHex(md.digest());
      } catch (IOException | java.security.NoSuchAlgorithmException e) {
        hash = "";
      }
    }
    return "imported from " + source.cliName() + " " + file.getFileName() + hash;
  }
}
