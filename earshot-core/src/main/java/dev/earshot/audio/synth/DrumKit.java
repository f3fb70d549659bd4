package dev.earshot.audio.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Percussion from the General MIDI SoundFont: ten kinds of drum (each one or more GM percussion keys), eight drum
 * kits, four velocities. Every hit of every kit is rendered once ({@link #render}); a hit used in a clip is one
 * of them, sped up or slowed down by up to 6% (a pitch and length change), so no two placed hits are the same
 * samples.
 */
public final class DrumKit {
  /** The drums by name, each with its General MIDI percussion keys. */
  public static final Map<String, int[]> DRUMS = drums();
  /** The SoundFont's General MIDI drum kits: standard, room, power, electronic, TR-808, jazz, brush, orchestra. */
  public static final int[] KITS = {0, 8, 16, 24, 25, 32, 40, 48};
  static final int[] VELOCITIES = {50, 75, 100, 127};
  private static final double HIT_SECONDS = 0.25;

  private final Map<String, float[]> hits;

  private DrumKit(Map<String, float[]> hits) {
    this.hits = hits;
  }

  private static Map<String, int[]> drums() {
    Map<String, int[]> d = new LinkedHashMap<>();
    d.put("kick", new int[] {35, 36});
    d.put("snare", new int[] {38, 40});
    d.put("clap", new int[] {39});
    d.put("closed-hihat", new int[] {42, 44});
    d.put("open-hihat", new int[] {46});
    d.put("low-tom", new int[] {41, 43, 45});
    d.put("high-tom", new int[] {47, 48, 50});
    d.put("crash", new int[] {49, 57});
    d.put("ride", new int[] {51, 53, 59});
    d.put("cowbell", new int[] {56});
    return java.util.Collections.unmodifiableMap(d);
  }

  /** Renders every drum of every kit at every velocity. */
  public static DrumKit render(SoundFontRenderer renderer) {
    List<MidiScore.Note> notes = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int kit : KITS) {
      for (int[] drumKeys : DRUMS.values()) {
        for (int key : drumKeys) {
          for (int velocity : VELOCITIES) {
            notes.add(new MidiScore.Note(MidiScore.PERCUSSION, kit, key, velocity, 0, HIT_SECONDS));
            keys.add(id(kit, key, velocity));
          }
        }
      }
    }
    List<float[]> rendered = renderer.render(notes);
    Map<String, float[]> hits = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      hits.put(keys.get(i), rendered.get(i));
    }
    return new DrumKit(hits);
  }

  /** A hit of {@code drum} on {@code kit}: a random key of the drum and velocity, a random speed change. */
  public float[] hit(String drum, int kit, RandomGenerator rng) {
    int[] drumKeys = DRUMS.get(drum);
    int key = drumKeys[rng.nextInt(drumKeys.length)];
    int velocity = VELOCITIES[rng.nextInt(VELOCITIES.length)];
    return Resampling.speed(hits.get(id(kit, key, velocity)), 0.94 + 0.12 * rng.nextDouble());
  }

  /** A random kit. */
  public static int randomKit(RandomGenerator rng) {
    return KITS[rng.nextInt(KITS.length)];
  }

  private static String id(int kit, int key, int velocity) {
    return kit + "/" + key + "/" + velocity;
  }
}
