package dev.earshot.features;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shares one {@link KaldiFbank} (window, mel filters, FFT plan) per distinct {@link FbankConfig}. */
final class KaldiFbankCache {
  private static final int MAX_ENTRIES = 64;
  private static final Map<FbankConfig, KaldiFbank> CACHE = new ConcurrentHashMap<>();

  private KaldiFbankCache() {}

  static KaldiFbank get(FbankConfig config) {
    KaldiFbank fbank = CACHE.get(config);
    if (fbank == null) {
      if (CACHE.size() >= MAX_ENTRIES) {
        CACHE.clear();
      }
      fbank = CACHE.computeIfAbsent(config, KaldiFbank::new);
    }
    return fbank;
  }
}
