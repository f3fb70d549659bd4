package dev.earshot.audio;

import dev.earshot.HeapBudget;
import dev.earshot.audio.AudioInputException.Problem;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a decoder accepts before it allocates anything: a sampling-rate range, a longest duration, and the
 * decoded samples within the {@link HeapBudget}. A header is never trusted with memory or time beyond these.
 *
 * <p>The defaults cover real audio (1 kHz to 768 kHz, the range of audio hardware and of every dataset
 * earshot reads, up to 4 hours); {@link #current()} reads the system properties {@code earshot.audio.maxSeconds},
 * {@code earshot.audio.minRateHz} and {@code earshot.audio.maxRateHz} (for example
 * {@code JAVA_TOOL_OPTIONS=-Dearshot.audio.maxSeconds=36000}).
 *
 * @param minSampleRateHz lowest accepted sampling rate
 * @param maxSampleRateHz highest accepted sampling rate
 * @param maxDurationSeconds longest accepted clip
 */
public record AudioLimits(int minSampleRateHz, int maxSampleRateHz, double maxDurationSeconds) {
  /** 1 kHz to 768 kHz, at most 4 hours. */
  public static final AudioLimits DEFAULT = new AudioLimits(1000, 768_000, 4 * 3600);

  public AudioLimits {
    if (minSampleRateHz < 1 || maxSampleRateHz < minSampleRateHz) {
      throw new IllegalArgumentException("sample rate range [" + minSampleRateHz + ", " + maxSampleRateHz + "]");
    }
    if (!(maxDurationSeconds > 0)) {
      throw new IllegalArgumentException("maxDurationSeconds must be positive, got " + maxDurationSeconds);
    }
  }

  /** The defaults, overridden by the {@code earshot.audio.*} system properties when set. */
  public static AudioLimits current() {
    String seconds = System.getProperty("earshot.audio.maxSeconds");
    String min = System.getProperty("earshot.audio.minRateHz");
    String max = System.getProperty("earshot.audio.maxRateHz");
    if (seconds == null && min == null && max == null) {
      return DEFAULT;
    }
    try {
      return new AudioLimits(min == null ? DEFAULT.minSampleRateHz : Integer.parseInt(min.trim()),
          max == null ? DEFAULT.maxSampleRateHz : Integer.parseInt(max.trim()),
          seconds == null ? DEFAULT.maxDurationSeconds : Double.parseDouble(seconds.trim()));
    } catch (IllegalArgumentException e) {
      throw new dev.earshot.ConfigException("earshot.audio.* system properties: " + e.getMessage(), e);
    }
  }

  /** Samples per channel allowed at {@code sampleRateHz}. */
  public long maxFrames(int sampleRateHz) {
    return (long) Math.min((double) Integer.MAX_VALUE - 8, Math.floor(maxDurationSeconds * sampleRateHz));
  }

  /** Refuses a sampling rate outside the range. */
  void checkRate(Path file, long sampleRateHz) {
    if (sampleRateHz < minSampleRateHz || sampleRateHz > maxSampleRateHz) {
      throw new AudioInputException(file, Problem.UNSUPPORTED_RATE, "sampling rate " + sampleRateHz
          + " Hz is outside the supported " + minSampleRateHz + " to " + maxSampleRateHz + " Hz");
    }
  }

  /**
   * Refuses {@code frames} samples per channel when longer than the limit or too large for the heap.
   *
   * @param bytesPerSample bytes the decoder holds per decoded sample (4 for float, 8 while FLAC also keeps ints)
   */
  void checkLength(Path file, long frames, int channels, int sampleRateHz, int bytesPerSample) {
    if (frames > maxFrames(sampleRateHz)) {
      throw new AudioInputException(file, Problem.TOO_LARGE, String.format(Locale.ROOT,
          "%d samples at %d Hz (%.1f s) are longer than the %.0f s limit (earshot.audio.maxSeconds)", frames,
          sampleRateHz, frames / (double) sampleRateHz, maxDurationSeconds));
    }
    String memory = HeapBudget.shortfall(frames * channels * (long) bytesPerSample,
        "decoding " + channels + " x " + frames + " samples");
    if (memory != null) {
      throw new AudioInputException(file, Problem.TOO_LARGE, memory);
    }
  }
}
