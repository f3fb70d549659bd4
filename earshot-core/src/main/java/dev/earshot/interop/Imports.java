package dev.earshot.interop;

import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.model.OutputActivation;
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

  /** Converts {@code file} (a file or, for Hugging Face formats, a folder) from {@code source}. */
  public static ImportedModel run(ImportSource source, Path file, ImportOptions options) {
    return switch (source) {
      case SSAST, AST -> TimmAstImporter.run(source, file, options);
      case AST_HF -> HuggingFaceAstImporter.run(file, options);
      case EAT, EAT_HF -> EatImporter.run(source, file, options);
      case ASIT -> AsitImporter.run(file, options, !options.student());
    };
  }

  /** Number of blocks, from keys like {@code <prefix>N.}. */
  static int countBlocks(Map<String, HostTensor> weights, String prefix) {
    Pattern p = Pattern.compile(Pattern.quote(prefix) + "(\\d+)\\..*");
    TreeSet<Integer> ids = new TreeSet<>();
    for (String k : weights.keySet()) {
      Matcher m = p.matcher(k);
      if (m.matches()) {
        ids.add(Integer.parseInt(m.group(1)));
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    if (ids.first() != 0 || ids.last() != ids.size() - 1) {
      throw new IllegalArgumentException("block indices are not contiguous: " + ids);
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
