package dev.earshot.features;

/**
 * What cutting one clip into windows produced.
 *
 * @param frames filterbank frames of the whole clip (for a cropped clip: as far as it was read)
 * @param durationSeconds length of the audio read, at the front end's rate
 * @param windows windows handed out
 * @param cropped true when only the first window was kept although the clip is longer (the rest of the
 *     clip was not analysed)
 */
public record ClipWindows(long frames, double durationSeconds, int windows, boolean cropped) {}
