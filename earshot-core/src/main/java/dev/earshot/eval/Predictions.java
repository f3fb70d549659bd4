package dev.earshot.eval;

import dev.earshot.data.Clip;
import java.util.List;

/**
 * A model's outputs on a dataset: logits and targets in clip order, and the clips that could not be read.
 *
 * @param logits (clips, classes)
 * @param targets (clips, classes)
 * @param clips the evaluated clips
 * @param skipped unreadable clips with the reason
 */
public record Predictions(float[][] logits, float[][] targets, List<Clip> clips, List<String> skipped) {}
