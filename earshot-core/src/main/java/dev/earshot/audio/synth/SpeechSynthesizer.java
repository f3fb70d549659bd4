package dev.earshot.audio.synth;

import dev.earshot.audio.AudioFile;
import dev.earshot.audio.Mixdown;
import dev.earshot.audio.Resampler;
import dev.earshot.audio.Waveform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Speech from eSpeak NG: text spoken by a {@link Voice} (an English accent, a voice variant, pitch and speed),
 * resampled to the wanted rate. Deterministic: eSpeak NG synthesises without randomness.
 *
 * @param sampleRateHz rate of the returned waveforms
 */
public record SpeechSynthesizer(int sampleRateHz) {
  /** eSpeak NG's English accents (its {@code gmw} voices, installed with the {@code espeak-ng} package). */
  public static final List<String> ACCENTS = List.of("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp",
      "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc");
  /** eSpeak NG's voice variants (formant and pitch settings) used for speakers. */
  public static final List<String> VARIANTS = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2",
      "f3", "f4", "f5", "klatt", "klatt2", "klatt3", "klatt4", "croak", "whisper", "steph", "steph2", "steph3",
      "Annie", "ed", "edward", "iven", "iven2", "john", "max", "linda", "quincy", "rob", "sandro", "shelby",
      "travis", "victor", "zac", "norbert", "paul", "robert");

  /**
   * A speaker: eSpeak NG's voice {@code accent+variant} at a pitch and speed.
   *
   * @param accent one of {@link #ACCENTS}
   * @param variant one of {@link #VARIANTS}
   * @param pitch eSpeak's pitch, 0..99 (50 is the voice's default)
   * @param wordsPerMinute speaking rate, 80..450
   */
  public record Voice(String accent, String variant, int pitch, int wordsPerMinute) {
    public Voice {
      if (pitch < 0 || pitch > 99 || wordsPerMinute < 80 || wordsPerMinute > 450) {
        throw new IllegalArgumentException("voice out of range: " + this);
      }
    }

    /** The same speaker, a little higher or lower and faster or slower (one utterance's variation). */
    public Voice shifted(int pitchDelta, int speedDelta) {
      return new Voice(accent, variant, Math.max(0, Math.min(99, pitch + pitchDelta)),
          Math.max(80, Math.min(450, wordsPerMinute + speedDelta)));
    }

    /** eSpeak NG's {@code -v} argument. */
    public String espeakName() {
      return accent + "+" + variant;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s p%d s%d", espeakName(), pitch, wordsPerMinute);
    }
  }

  /** Checks that eSpeak NG is installed (the error names the Debian package). */
  public void requireInstalled() {
    ExternalProgram.ESPEAK_NG.locate();
  }

  /** Something to say, and who says it. */
  public record Line(String text, Voice voice) {}

  /**
   * Every line spoken, in order, by up to {@code threads} eSpeak NG processes at a time (each line is its own
   * deterministic run, so the result does not depend on the thread count).
   */
  public List<float[]> speakAll(List<Line> lines, int threads) {
    requireInstalled();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<java.util.concurrent.Future<float[]>> futures = new java.util.ArrayList<>();
      for (Line l : lines) {
        futures.add(pool.submit(() -> speak(l.text(), l.voice())));
      }
      List<float[]> out = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<float[]> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExternalProgramException("interrupted while synthesising speech", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ExternalProgramException("speech synthesis failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** {@code text} spoken by {@code voice}, mono at {@link #sampleRateHz()}, with eSpeak's silence around it. */
  public float[] speak(String text, Voice voice) {
    Path wav = null;
    try {
      // a file, not --stdout: eSpeak NG streams a WAV header whose sizes are placeholders
      wav = Files.createTempFile("earshot-espeak", ".wav");
      ExternalProgram.ESPEAK_NG.run(List.of("-v", voice.espeakName(), "-p", Integer.toString(voice.pitch()), "-s",
          Integer.toString(voice.wordsPerMinute()), "-w", wav.toString(), "--", text), Duration.ofSeconds(60));
      Waveform w = AudioFile.read(Files.readAllBytes(wav), "espeak-ng " + voice + " '" + text + "'")
          .toMono(Mixdown.AVERAGE);
      return w.sampleRateHz() == sampleRateHz ? w.samples()
          : Resampler.of(w.sampleRateHz(), sampleRateHz).apply(w.samples());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (wav != null) {
        try {
          Files.deleteIfExists(wav);
        } catch (IOException e) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

}
