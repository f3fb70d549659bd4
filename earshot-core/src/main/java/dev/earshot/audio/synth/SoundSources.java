package dev.earshot.audio.synth;

import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the benchmark's sounds come from — General MIDI notes and drums through FluidSynth, speech through eSpeak
 * NG — and how its clips are written (16-bit PCM WAV at {@link #sampleRateHz}).
 */
final class SoundSources {
  private final int sampleRateHz;
  private final SoundFontRenderer renderer;
  private final SpeechSynthesizer speech;
  private final int threads;
  private DrumKit drums;

  SoundSources(int sampleRateHz, SoundFontRenderer renderer, int threads) {
    this.sampleRateHz = sampleRateHz;
    this.renderer = renderer;
    this.speech = new SpeechSynthesizer(sampleRateHz);
    this.threads = threads;
  }

  /** Fails early, naming the Debian packages, when a program or the SoundFont is missing. */
  void requireInstalled() {
    speech.requireInstalled();
    renderer.requireInstalled();
  }

  int sampleRateHz() {
    return sampleRateHz;
  }

  /** Each note rendered on its own ({@link SoundFontRenderer#render}). */
  List<float[]> notes(List<MidiScore.Note> notes) {
    return renderer.render(notes);
  }

  /** Each line spoken, leading and trailing silence removed. */
  List<float[]> speech(List<SpeechSynthesizer.Line> lines) {
    return speech.speakAll(lines, threads).stream().map(Utterances::trimSilence).toList();
  }

  /** The drum hits, rendered on first use. */
  synchronized DrumKit drums() {
    if (drums == null) {
      drums = DrumKit.render(renderer);
    }
    return drums;
  }

  /** Writes {@code clip} as 16-bit PCM, creating folders. */
  void write(Path file, Waveform clip) throws IOException {
    Files.createDirectories(file.getParent());
    WavWriter.write(file, clip, WavWriter.Coding.PCM16);
  }

  /** A scene's waveform at a random peak level of -12..-3 dBFS. */
  static Waveform finish(Scene scene, java.util.random.RandomGenerator rng) {
    return scene.toWaveform(Math.pow(10, (-12 + 9 * rng.nextDouble()) / 20));
  }

  /** Background noise of a random colour at {@code snrDb} below {@code signalRms}. */
  static void addNoise(Scene scene, double signalRms, double snrDb, java.util.random.RandomGenerator rng) {
    Scene.Noise[] colours = Scene.Noise.values();
    scene.addNoise(colours[rng.nextInt(colours.length)], signalRms * Math.pow(10, -snrDb / 20), rng);
  }
}
