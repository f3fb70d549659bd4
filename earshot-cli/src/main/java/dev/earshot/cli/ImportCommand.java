package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.features.Normalization;
import dev.earshot.interop.ImportOptions;
import dev.earshot.interop.ImportSource;
import dev.earshot.interop.ImportedModel;
import dev.earshot.interop.Imports;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.Pooling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code earshot import}: converts an official checkpoint into an earshot model directory. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Convert an official checkpoint (SSAST, AST, Hugging Face AST, EAT, ASiT) into an earshot model directory.",
      "",
      "Formats: ssast (SSAST .pth, pretrained or fine-tuned), ast (AST .pth), ast-hf (a Hugging Face",
      "ASTForAudioClassification folder), eat (EAT fairseq .pt, pretraining or fine-tuned), eat-hf (the",
      "Hugging Face EAT port folder). Nothing from the file is executed: only tensors and plain config data",
      "are read, and a checkpoint that asks to run code is refused. Every tensor is accounted for: mapped,",
      "or ignored with a stated reason, or the import fails; so does a missing or mis-shaped parameter, and a",
      "NaN or infinite weight (unless --allow-nonfinite).",
      "",
      "SSAST/AST files do not record strides, input length or heads: they are inferred where possible and",
      "the import refuses ambiguous cases, naming the flag to give. For a pretrained SSAST file, --frames and",
      "--stride choose the fine-tuning geometry and the positions are adapted as SSAST does."
    })
final class ImportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "FORMAT", converter = Choice.ImportSourceChoice.class,
      completionCandidates = Choice.ImportSourceChoice.class, description = "${COMPLETION-CANDIDATES}.")
  ImportSource from;

  @Parameters(index = "0", paramLabel = "SRC", description = "Checkpoint file (or folder for *-hf formats).")
  Path source;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Model directory to write.")
  Path out;

  @Option(names = "--frames", paramLabel = "N", description = "Input frames (default: recorded or inferred).")
  Integer frames;

  @Option(names = "--stride", paramLabel = "T[xF]",
      description = "Patch stride in time (and frequency, e.g. 10x10); default: recorded or inferred.")
  String stride;

  @Option(names = "--heads", paramLabel = "H", description = "Attention heads (needed for unpublished widths).")
  Integer heads;

  @Option(names = "--pooling", paramLabel = "RULE", converter = Choice.PoolingChoice.class,
      completionCandidates = Choice.PoolingChoice.class,
      description = "mean (patch mean), cls, or cls-dist (mean of CLS and distillation tokens).")
  Pooling pooling;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "Class names: one per line, or an AudioSet-style CSV (index,mid,display_name).")
  Path labels;

  @Option(names = "--activation", paramLabel = "A", converter = Choice.ActivationChoice.class,
      completionCandidates = Choice.ActivationChoice.class, description = "sigmoid (multi-label) or softmax.")
  OutputActivation activation;

  @Option(names = "--norm", paramLabel = "PRESET", completionCandidates = Names.NormalizationPresets.class,
      description = "Input normalisation preset: ${COMPLETION-CANDIDATES}.")
  String norm;

  @Option(names = "--teacher", description = "EAT pretraining checkpoints: take the EMA teacher's weights.")
  boolean teacher;

  @Option(names = "--student", description = "ASiT checkpoints: take the student's backbone (default: the teacher's).")
  boolean student;

  @Option(names = "--allow-nonfinite", description = "Import even if some weights are NaN or infinite (refused by "
      + "default: such a model scores NaN).")
  boolean allowNonFinite;

  @Override
  public Integer call() throws IOException {
    OptionChecks.atLeast("--frames", frames, 1);
    OptionChecks.atLeast("--heads", heads, 1);
    OptionChecks.outputDirectory(out);
    Integer sf = null;
    Integer sb = null;
    if (stride != null) {
      String[] parts = stride.toLowerCase(Locale.ROOT).split("x");
      try {
        sf = Integer.parseInt(parts[0]);
        sb = parts.length > 1 ? Integer.parseInt(parts[1]) : sf;
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new ConfigException("--stride: expected T or TxF, got '" + stride + "'");
      }
      OptionChecks.atLeast("--stride", sf, 1);
      OptionChecks.atLeast("--stride", sb, 1);
    }
    ImportOptions options = new ImportOptions(frames, sf, sb, heads, pooling,
        labels == null ? null : readLabels(labels), activation,
        norm == null ? null : Normalization.preset(norm), teacher, student, allowNonFinite);
    ImportedModel model = Imports.run(from, source, options);
    model.writeTo(out);
    var o = spec.commandLine().getOut();
    var c = model.config();
    o.printf(Locale.ROOT, "imported %s -> %s%n", source, out);
    o.printf(Locale.ROOT, "  encoder  D=%d depth=%d heads=%d %s, %s positions, %d special token(s)%n",
        c.embedDim(), c.depth(), c.heads(), c.normPlacement(), c.positions(), c.specialTokens());
    o.printf(Locale.ROOT, "  input    %d frames x %d bins, patches %dx%d stride %dx%d (time x freq), %d tokens%n",
        c.grid().inputFrames(), c.grid().inputBins(), c.grid().patchFrames(), c.grid().patchBins(),
        c.grid().strideFrames(), c.grid().strideBins(), c.grid().numPatches());
    o.printf(Locale.ROOT, "  head     %s%n", c.numClasses() == 0 ? "none (encoder only)"
        : c.numClasses() + " classes, " + model.spec().activation() + ", pooling " + c.pooling());
    for (String note : model.notes()) {
      o.println("  note     " + note);
    }
    o.flush();
    return 0;
  }

  /** One label per line, or AudioSet's class_labels_indices.csv (index,mid,display_name with a header). */
  static List<String> readLabels(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    boolean csv = !lines.isEmpty() && lines.get(0).toLowerCase(Locale.ROOT).startsWith("index,mid,display_name");
    for (int i = csv ? 1 : 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (csv) {
        int first = line.indexOf(',');
        int second = line.indexOf(',', first + 1);
        String name = line.substring(second + 1).strip();
        out.add(name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1) : name);
      } else {
        out.add(line);
      }
    }
    return out;
  }
}
