package dev.earshot.audio.synth;

import java.util.List;
import java.util.random.RandomGenerator;

/** What the synthetic speakers say: Speech Commands' ten keywords, other words, and random sentences. */
public final class Utterances {
  private Utterances() {}

  /** The ten keywords of Speech Commands' standard task. */
  public static final List<String> KEYWORDS = List.of("yes", "no", "up", "down", "left", "right", "on", "off", "stop",
      "go");

  /** Everyday words for sentences and for the pool's words. */
  static final List<String> WORDS = List.of("the", "a", "this", "that", "my", "your", "our", "their", "every", "some",
      "house", "river", "garden", "window", "morning", "evening", "winter", "summer", "city", "village", "road",
      "train", "letter", "music", "story", "table", "kitchen", "doctor", "teacher", "farmer", "market", "bridge",
      "mountain", "forest", "ocean", "island", "paper", "pencil", "coffee", "bread", "apple", "orange", "water",
      "bottle", "machine", "engine", "signal", "picture", "camera", "question", "answer", "problem", "number",
      "friend", "family", "neighbour", "children", "people", "animal", "horse", "bird", "cat", "dog", "fish",
      "walks", "talks", "opens", "closes", "carries", "finds", "builds", "paints", "reads", "writes", "sings",
      "brings", "watches", "follows", "remembers", "forgets", "likes", "needs", "wants", "sees", "hears", "moves",
      "quickly", "slowly", "quietly", "loudly", "often", "never", "always", "today", "tomorrow", "yesterday",
      "again", "together", "alone", "early", "late", "almost", "really", "very", "green", "yellow", "purple",
      "bright", "dark", "heavy", "light", "small", "large", "old", "new", "warm", "cold", "happy", "tired",
      "strange", "simple", "careful", "famous", "quiet", "busy", "empty", "full", "near", "behind", "under",
      "over", "between", "across", "through", "after", "before", "during", "with", "without", "from", "into",
      "seven", "eleven", "twenty", "hundred", "thousand", "first", "second", "third", "last", "next");

  /** A sentence of {@code minWords}..{@code maxWords} words drawn from {@link #WORDS}. */
  public static String sentence(int minWords, int maxWords, RandomGenerator rng) {
    int n = minWords + rng.nextInt(maxWords - minWords + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS.get(rng.nextInt(WORDS.size())));
    }
    return sb.append('.').toString();
  }

  /** One word: a keyword or an everyday word. */
  static String word(RandomGenerator rng) {
    return rng.nextInt(3) == 0 ? KEYWORDS.get(rng.nextInt(KEYWORDS.size())) : WORDS.get(rng.nextInt(WORDS.size()));
  }

  /** A random speaker: an accent, a variant, a pitch of 20-80 and a speed of 130-190 words per minute. */
  public static SpeechSynthesizer.Voice randomVoice(RandomGenerator rng) {
    return new SpeechSynthesizer.Voice(SpeechSynthesizer.ACCENTS.get(rng.nextInt(SpeechSynthesizer.ACCENTS.size())),
        SpeechSynthesizer.VARIANTS.get(rng.nextInt(SpeechSynthesizer.VARIANTS.size())), 20 + rng.nextInt(61),
        130 + rng.nextInt(61));
  }

  /** The active part of synthetic speech: eSpeak's leading and trailing silence removed (10 ms frames). */
  static float[] trimSilence(float[] x) {
    int frame = 160;
    double peak = 0;
    for (float v : x) {
      peak = Math.max(peak, Math.abs(v));
    }
    double threshold = peak * 0.01;
    int first = -1;
    int last = -1;
    for (int f = 0; f * frame < x.length; f++) {
      double max = 0;
      for (int i = f * frame; i < Math.min(x.length, (f + 1) * frame); i++) {
        max = Math.max(max, Math.abs(x[i]));
      }
      if (max > threshold) {
        if (first < 0) {
          first = f;
        }
        last = f;
      }
    }
    if (first < 0) {
      return x;
    }
    int from = first * frame;
    int to = Math.min(x.length, (last + 1) * frame);
    return java.util.Arrays.copyOfRange(x, from, to);
  }
}
