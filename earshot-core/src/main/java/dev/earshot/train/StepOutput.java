package dev.earshot.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * The result of one forward pass.
 *
 * @param loss the scalar to minimise (still attached to the autograd graph)
 * @param metrics host-side numbers to log (loss terms, accuracies), in a stable order
 */
public record StepOutput(NDArray loss, Map<String, Double> metrics) {}
