package dev.earshot.cli;

import dev.earshot.io.Json;
import dev.earshot.io.Safetensors;
import dev.earshot.model.ModelDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot export}: a model's weights as one safetensors file with PyTorch key names. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a model's weights as a safetensors file with PyTorch (timm ViT) key names.",
      "",
      "Keys: patch_embed.proj.*, cls_token, dist_token, pos_embed, input_norm.*, blocks.N.{norm1,attn.qkv,",
      "attn.proj,norm2,mlp.fc1,mlp.fc2}.*, norm.*, head.norm.*, head.linear.*. The model's architecture and",
      "preprocessing are stored as JSON in the file's __metadata__ ('earshot_model')."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "An earshot model directory.")
  Path model;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "Output .safetensors file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    OptionChecks.outputFile(out);
    ModelDirectory.Manifest manifest = ModelDirectory.readManifest(model);
    var weights = ModelDirectory.readWeights(model);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("earshot_model", Json.line(manifest));
    Safetensors.write(out, weights, metadata);
    spec.commandLine().getOut().printf("%d tensors -> %s%n", weights.size(), out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
