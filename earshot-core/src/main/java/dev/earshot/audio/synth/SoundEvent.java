package dev.earshot.audio.synth;

/**
 * The kinds of procedural sound events earshot can synthesise for tests and the demo. Each kind has a
 * recognisable spectro-temporal shape; {@link EventSynthesizer} varies pitch, duration, envelope, timbre
 * and noise around it.
 */
public enum SoundEvent {
  /** A steady sinusoid. */
  TONE,
  /** A harmonic stack (fundamental plus decaying overtones), like a sung vowel or a horn. */
  HARMONIC,
  /** A rising frequency sweep. */
  UPSWEEP,
  /** A falling frequency sweep. */
  DOWNSWEEP,
  /** A periodic train of short clicks, like a clock or a woodpecker. */
  CLICK_TRAIN,
  /** Band-limited noise burst, like wind or a hiss. */
  NOISE_BURST,
  /** A tone switched on and off rapidly, like an alarm. */
  BEEPS,
  /** A tone whose frequency oscillates, like a siren. */
  SIREN,
  /** A short percussive hit with exponential decay and low pitch, like a drum. */
  DRUM,
  /** Two simultaneous tones a non-harmonic ratio apart, like a bell or a phone ring. */
  BELL,
  /** Amplitude-modulated noise at a slow rate, like rain or applause. */
  CRACKLE,
  /** A tone with a fast downward glide at the start, like a bird chirp. */
  CHIRP_CALL
}
