package dev.earshot.interop;

import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.TorchCheckpointReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pretraining heads of an official SSAST checkpoint ({@code cpredlayer.*}, {@code gpredlayer.*},
 * {@code mask_embed}), under the names of {@link dev.earshot.pretrain.ssast.SsastHeads}: test support, so that the
 * SSAST parity test starts the official step from the published heads (pretraining itself starts from model
 * directories, which hold encoders only).
 */
public final class SsastPretrainingHeads {
  private SsastPretrainingHeads() {}

  public static Map<String, HostTensor> read(Path file) {
    Map<String, HostTensor> raw = TimmAstImporter.stripPrefix(
        TorchCheckpointReader.stateDict(file, TorchCheckpointReader.read(file)), "module.");
    Map<String, HostTensor> out = new LinkedHashMap<>();
    raw.forEach((k, v) -> {
      if (k.startsWith("cpredlayer.") || k.startsWith("gpredlayer.") || k.equals("mask_embed")) {
        out.put(k, v);
      }
    });
    if (!out.containsKey("mask_embed")) {
      throw new CheckpointFormatException(file, "no SSAST pretraining heads (a fine-tuned file? import it instead)");
    }
    return out;
  }
}
