package dev.earshot.audio.synth;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Pitched instrument families as NSynth names them, each a set of General MIDI programs and a playing range. Two
 * programs of every family are held out for testing ({@link #testPrograms}), so — as in NSynth, whose test
 * instruments are not in its training set — a classifier must recognise the family, not the instrument.
 */
public enum InstrumentFamily {
  KEYBOARD(new int[] {0, 2, 3, 4, 6, 7}, new int[] {1, 5}, 36, 84),
  MALLET(new int[] {8, 9, 10, 12, 14, 15}, new int[] {11, 13}, 60, 96),
  ORGAN(new int[] {16, 18, 19, 20, 22, 23}, new int[] {17, 21}, 36, 84),
  GUITAR(new int[] {24, 26, 27, 28, 30, 31}, new int[] {25, 29}, 40, 76),
  BASS(new int[] {32, 34, 35, 36, 37, 39}, new int[] {33, 38}, 28, 55),
  STRING(new int[] {40, 42, 43, 44, 45, 48, 51}, new int[] {41, 49}, 43, 84),
  BRASS(new int[] {56, 58, 59, 60, 61, 63}, new int[] {57, 62}, 45, 77),
  REED(new int[] {64, 66, 67, 68, 69, 71}, new int[] {65, 70}, 50, 80),
  FLUTE(new int[] {72, 74, 75, 76, 78, 79}, new int[] {73, 77}, 60, 90),
  SYNTH_LEAD(new int[] {80, 82, 83, 84, 86, 87}, new int[] {81, 85}, 48, 84);

  private final int[] trainPrograms;
  private final int[] testPrograms;
  private final int lowKey;
  private final int highKey;

  InstrumentFamily(int[] trainPrograms, int[] testPrograms, int lowKey, int highKey) {
    this.trainPrograms = trainPrograms;
    this.testPrograms = testPrograms;
    this.lowKey = lowKey;
    this.highKey = highKey;
  }

  /** The folder and class name, NSynth's spelling ({@code synth_lead}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The programs of the training set. */
  public int[] trainPrograms() {
    return trainPrograms.clone();
  }

  /** The programs kept for the test set. */
  public int[] testPrograms() {
    return testPrograms.clone();
  }

  /** Every program of the family. */
  public int[] allPrograms() {
    int[] all = Arrays.copyOf(trainPrograms, trainPrograms.length + testPrograms.length);
    System.arraycopy(testPrograms, 0, all, trainPrograms.length, testPrograms.length);
    return all;
  }

  /** A note of one of {@code programs}: a key in the family's range, a velocity, a duration of 0.4-1.2 s. */
  public MidiScore.Note randomNote(int[] programs, RandomGenerator rng) {
    return new MidiScore.Note(0, programs[rng.nextInt(programs.length)], lowKey + rng.nextInt(highKey - lowKey + 1),
        50 + rng.nextInt(78), 0, 0.4 + 0.8 * rng.nextDouble());
  }
}
