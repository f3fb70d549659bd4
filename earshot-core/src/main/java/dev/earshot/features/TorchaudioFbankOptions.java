package dev.earshot.features;

import dev.earshot.ConfigException;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an {@link FbankConfig} from the keyword arguments of a Python
 * {@code torchaudio.compliance.kaldi.fbank(...)} call, so that a pipeline can be ported by copying its
 * arguments. Unknown keys are an error; {@code channel} is refused because channel selection happens in
 * {@link dev.earshot.audio.Mixdown}.
 */
public final class TorchaudioFbankOptions {
  private TorchaudioFbankOptions() {}

  /**
   * Applies {@code kwargs} (torchaudio names, values as numbers, booleans or strings) on top of
   * {@code base}.
   */
  public static FbankConfig apply(FbankConfig base, Map<String, ?> kwargs) {
    FbankConfig.Builder b = base.toBuilder();
    for (Map.Entry<String, ?> e : kwargs.entrySet()) {
      String key = e.getKey();
      Object v = e.getValue();
      switch (key) {
        case "sample_frequency":
          b.sampleFrequencyHz(number(key, v));
          break;
        case "frame_length":
          b.frameLengthMs(number(key, v));
          break;
        case "frame_shift":
          b.frameShiftMs(number(key, v));
          break;
        case "window_type":
          b.windowType(window(String.valueOf(v)));
          break;
        case "blackman_coeff":
          b.blackmanCoeff(number(key, v));
          break;
        case "dither":
          b.dither(number(key, v));
          break;
        case "preemphasis_coefficient":
          b.preemphasisCoefficient(number(key, v));
          break;
        case "remove_dc_offset":
          b.removeDcOffset(bool(key, v));
          break;
        case "round_to_power_of_two":
          b.roundToPowerOfTwo(bool(key, v));
          break;
        case "snip_edges":
          b.snipEdges(bool(key, v));
          break;
        case "low_freq":
          b.lowFreqHz(number(key, v));
          break;
        case "high_freq":
          b.highFreqHz(number(key, v));
          break;
        case "num_mel_bins":
          b.numMelBins((int) number(key, v));
          break;
        case "use_energy":
          b.useEnergy(bool(key, v));
          break;
        case "raw_energy":
          b.rawEnergy(bool(key, v));
          break;
        case "htk_compat":
          b.htkCompat(bool(key, v));
          break;
        case "energy_floor":
          b.energyFloor(number(key, v));
          break;
        case "use_log_fbank":
          b.useLogFbank(bool(key, v));
          break;
        case "use_power":
          b.usePower(bool(key, v));
          break;
        case "subtract_mean":
          b.subtractMean(bool(key, v));
          break;
        case "min_duration":
          b.minDurationSeconds(number(key, v));
          break;
        case "vtln_low":
          b.vtlnLowHz(number(key, v));
          break;
        case "vtln_high":
          b.vtlnHighHz(number(key, v));
          break;
        case "vtln_warp":
          b.vtlnWarp(number(key, v));
          break;
        case "channel":
          throw new ConfigException("channel: select channels with Mixdown (AVERAGE or FIRST_CHANNEL) instead");
        default:
          throw new ConfigException("unknown kaldi.fbank option '" + key + "'");
      }
    }
    return b.build();
  }

  /** The window named as torchaudio names it: hamming, hanning, povey, rectangular or blackman. */
  public static WindowType window(String name) {
    try {
      return WindowType.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "window_type: unknown window '" + name + "' (hamming, hanning, povey, rectangular, blackman)");
    }
  }

  private static double number(String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": expected a number, got '" + v + "'");
    }
  }

  private static boolean bool(String key, Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key + ": expected true or false, got '" + v + "'");
  }
}
