package dev.earshot.pretrain;

import dev.earshot.tensor.TensorScope;
import dev.earshot.ConfigException;
import dev.earshot.io.HostTensor;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import dev.earshot.nn.Module;
import dev.earshot.nn.NormPlacement;
import dev.earshot.nn.WeightTransfer;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a method's {@link PretrainingMethod#setup} gets from the run.
 *
 * @param model the registry name of the architecture (the recipe's {@code model})
 * @param frames the model's input length in frames ({@link PretrainingMethod#modelFrames})
 * @param steps optimizer updates of the run (schedules inside the objective follow it)
 * @param seed the run's seed: weights, masks and noise derive from it
 * @param weightDecay the optimizer's initial weight decay (ASiT's cosine starts there)
 * @param manager owns every parameter the method creates
 * @param init weights of an earshot model directory to start the student's encoder from, or null
 * @param initDir where {@code init} came from (for error messages), or null
 */
public record MethodContext(String model, int frames, long steps, long seed, double weightDecay, TensorScope manager,
    Map<String, HostTensor> init, Path initDir) {

  /** The ViT-family configuration of {@link #model} at {@link #frames}, without head. */
  public AudioTransformerConfig vitConfig() {
    return ModelRegistry.get(model, frames, 0);
  }

  /** Loads {@link #init} into {@code encoder} (every weight but the classifier head's), if there is one. */
  public void loadInit(Module encoder) {
    if (init != null) {
      WeightTransfer.load(encoder, init, k -> k.startsWith("head."), initDir);
    }
  }

  /**
   * Refuses a model whose blocks are not {@code placement} with one CLS token.
   *
   * @param method the method's name, for the message
   * @param what the layout the method needs, e.g. "the post-LN EAT encoder with one CLS token (eat-*)"
   */
  public void requireLayout(AudioTransformerConfig config, NormPlacement placement, String method, String what) {
    if (config.normPlacement() != placement || config.specialTokens() != 1) {
      throw new ConfigException("model: " + method + " pretrains " + what + ", not '" + model + "'");
    }
  }
}
