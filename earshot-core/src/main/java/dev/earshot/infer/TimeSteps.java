package dev.earshot.infer;

/**
 * Time-step (timestamp) embeddings of a whole clip: the patch embeddings of each window averaged over
 * frequency, stitched into one sequence. Where windows overlap, each time step comes from the window whose
 * own hop contains it, so timestamps increase strictly; steps of the last window's padding are dropped.
 *
 * @param embeddings (steps, D)
 * @param timestampsMs (steps) the centre of each step in milliseconds from the start of the clip
 * @param cropped true when only the first window was analysed although the clip is longer
 */
public record TimeSteps(float[][] embeddings, double[] timestampsMs, boolean cropped) {}
