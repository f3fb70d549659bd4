package dev.earshot.infer;

/**
 * One window's answer.
 *
 * @param index window number, from 0
 * @param startSeconds where the window starts in the clip
 * @param endSeconds where the clip audio it covers ends (earlier than start + window for a padded last
 *     window)
 * @param values class probabilities (classes) or the pooled embedding (D)
 */
public record WindowValues(int index, double startSeconds, double endSeconds, float[] values) {}
