package dev.earshot.features;

/**
 * One model input cut from a clip, with where it sits in the clip.
 *
 * @param index window number, from 0
 * @param startFrame first frame of the window in the clip
 * @param realFrames frames taken from the clip; the rest of the window is padding
 * @param features normalised features (windowFrames, bins); overlapping windows share row arrays, so
 *     treat them as read-only
 * @param startSeconds start time of the window, {@code startFrame * frameShift}
 * @param endSeconds end of the audio the window covers, {@code (startFrame + realFrames) * frameShift}
 */
public record FeatureWindow(int index, long startFrame, int realFrames, float[][] features, double startSeconds,
    double endSeconds) {}
