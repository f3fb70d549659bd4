package dev.earshot.cli;

import dev.earshot.audio.AudioFile;
import dev.earshot.audio.MultichannelAudio;
import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import dev.earshot.audio.synth.EventSynthesizer;
import dev.earshot.audio.synth.SoundEvent;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.plot.SpectrogramImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earshot demo}: the main job on built-in data. For now it exercises the front end end to end on a
 * generated clip: synthesis, WAV round trip, resampling-free AST front end, normalisation, plot.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The main job on built-in generated audio (no downloads), with a printed summary.",
      "",
      "Currently: synthesise a 10 s clip of procedural sound events, write it as WAV, read it back, compute",
      "the AST/SSAST front end (Kaldi fbank, AudioSet normalisation, 1024 frames) and draw it as a PNG."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "earshot-demo",
      description = "Where to write the demo's files (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    long start = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(seed);
    EventSynthesizer synth = new EventSynthesizer(16000);
    SoundEvent[] kinds = SoundEvent.values();
    float[] clip = new float[160000];
    StringBuilder events = new StringBuilder();
    for (int k = 0; k < 5; k++) {
      SoundEvent kind = kinds[rng.nextInt(kinds.length)];
      Waveform w = synth.clip(kind, 2.0, rng);
      System.arraycopy(w.samples(), 0, clip, k * 32000, w.length());
      events.append(k == 0 ? "" : ", ").append(kind.name().toLowerCase(Locale.ROOT));
    }
    Path wav = outDir.resolve("demo-clip.wav");
    WavWriter.write(wav, new Waveform(clip, 16000), WavWriter.Coding.PCM16);
    MultichannelAudio back = AudioFile.read(wav);
    FrontEnd frontEnd = FrontEnd.ast(1024);
    float[][] features = frontEnd.process(wav);
    Path npy = outDir.resolve("demo-fbank.npy");
    Npy.write(npy, NpyArray.ofMatrix(features));
    Path png = outDir.resolve("demo-fbank.png");
    SpectrogramImage.write(png, features, 1, 3);
    double mean = 0;
    double sq = 0;
    for (float[] row : features) {
      for (float v : row) {
        mean += v;
        sq += v * v;
      }
    }
    int cells = features.length * features[0].length;
    mean /= cells;
    double std = Math.sqrt(sq / cells - mean * mean);
    double seconds = (System.nanoTime() - start) / 1e9;
    out.println("earshot demo: front end on a generated clip");
    out.printf(Locale.ROOT, "  clip     %s (%.1f s, %d Hz, %s) events: %s%n", wav, back.format().durationSeconds(),
        back.sampleRateHz(), back.format().encoding(), events);
    out.printf(Locale.ROOT, "  fbank    %d frames x %d mel bins (Kaldi-compatible, Hann, 25/10 ms), padded to 1024%n",
        features.length, features[0].length);
    out.printf(Locale.ROOT, "  normal.  AudioSet (mean %.4f, std %.4f): features now mean %.3f, std %.3f%n",
        Normalization.AUDIOSET.mean(), Normalization.AUDIOSET.std(), mean, std);
    out.printf(Locale.ROOT, "  wrote    %s, %s%n", npy, png);
    out.printf(Locale.ROOT, "  took     %.2f s%n", seconds);
    out.flush();
    return 0;
  }
}
