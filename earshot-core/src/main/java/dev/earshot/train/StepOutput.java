package dev.earshot.train;

import dev.earshot.tensor.Tensor;
import java.util.Map;

/**
 * The result of one forward pass.
 *
 * @param loss the scalar to minimise (still attached to the autograd graph)
 * @param metrics host-side numbers to log (loss terms, accuracies), in a stable order
 */
public record StepOutput(Tensor loss, Map<String, Double> metrics) {}
