package dev.earshot.audio.synth;

import dev.earshot.audio.AudioFile;
import dev.earshot.audio.Mixdown;
import dev.earshot.audio.Resampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders notes with FluidSynth and a General MIDI SoundFont, one note at a time as the generator needs them:
 * notes are laid out one after another in a score (one FluidSynth run per {@link #NOTES_PER_RUN} notes, so the
 * SoundFont is loaded rarely), rendered to a WAV file, and cut back into one waveform per note — from its onset to
 * its release plus {@link #TAIL_SECONDS} of decay and reverb. Deterministic: FluidSynth renders files without
 * randomness.
 *
 * @param soundFont the {@code .sf2} file
 * @param sampleRateHz rate of the returned waveforms
 */
public record SoundFontRenderer(Path soundFont, int sampleRateHz) {
  /** The SoundFont of Debian's {@code fluid-soundfont-gm} package. */
  public static final Path DEBIAN_GM_SOUNDFONT = Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2");
  /** Seconds kept after each note's release. */
  public static final double TAIL_SECONDS = 0.8;
  static final int NOTES_PER_RUN = 120;
  /** FluidSynth renders at this rate; the result is resampled to {@link #sampleRateHz()}. */
  private static final int RENDER_RATE = 32000;

  /** Debian's General MIDI SoundFont at {@code sampleRateHz}; names the package to install when it is missing. */
  public static SoundFontRenderer debianGeneralMidi(int sampleRateHz) {
    return new SoundFontRenderer(DEBIAN_GM_SOUNDFONT, sampleRateHz);
  }

  /** Checks that FluidSynth and the SoundFont are installed (errors name the Debian packages). */
  public void requireInstalled() {
    ExternalProgram.FLUIDSYNTH.locate();
    if (!Files.isRegularFile(soundFont)) {
      throw new ExternalProgramException("SoundFont " + soundFont + " is missing: install the Debian package "
          + "fluid-soundfont-gm (apt-get install fluid-soundfont-gm)");
    }
  }

  /**
   * Each note rendered on its own (onsets are ignored: every note starts at 0 in its waveform), mono, in the
   * order given; length = duration + {@link #TAIL_SECONDS}.
   */
  public List<float[]> render(List<MidiScore.Note> notes) {
    requireInstalled();
    List<float[]> out = new ArrayList<>();
    for (int from = 0; from < notes.size(); from += NOTES_PER_RUN) {
      out.addAll(renderRun(notes.subList(from, Math.min(notes.size(), from + NOTES_PER_RUN))));
    }
    return out;
  }

  private List<float[]> renderRun(List<MidiScore.Note> notes) {
    double slot = notes.stream().mapToDouble(MidiScore.Note::durationSeconds).max().orElse(0) + TAIL_SECONDS + 0.5;
    MidiScore score = new MidiScore();
    for (int i = 0; i < notes.size(); i++) {
      MidiScore.Note n = notes.get(i);
      score.add(new MidiScore.Note(n.channel(), n.program(), n.key(), n.velocity(), i * slot, n.durationSeconds()));
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("earshot-fluidsynth");
      Path midi = dir.resolve("score.mid");
      Path wav = dir.resolve("score.wav");
      Files.write(midi, score.toBytes());
      ExternalProgram.FLUIDSYNTH.run(List.of("-n", "-i", "-q", "-g", "1.0", "-r", Integer.toString(RENDER_RATE),
          "-F", wav.toString(), soundFont.toString(), midi.toString()), Duration.ofMinutes(10));
      float[] all = AudioFile.read(wav).toMono(Mixdown.AVERAGE).samples();
      Resampler resampler = Resampler.of(RENDER_RATE, sampleRateHz);
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < notes.size(); i++) {
        int from = (int) Math.round(i * slot * RENDER_RATE);
        int length = (int) Math.round((notes.get(i).durationSeconds() + TAIL_SECONDS) * RENDER_RATE);
        float[] cut = new float[length];
        System.arraycopy(all, Math.min(from, all.length), cut, 0, Math.max(0, Math.min(length, all.length - from)));
        out.add(resampler.apply(cut));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
