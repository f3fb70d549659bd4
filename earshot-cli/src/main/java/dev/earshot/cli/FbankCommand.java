package dev.earshot.cli;

import dev.earshot.features.FrontEnd;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code earshot fbank}: Kaldi-compatible log-mel filterbank of one file, as a NumPy array. */
@Command(
    name = "fbank",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Kaldi-compatible log-mel filterbank of an audio file, written as a (frames, bins) float32 .npy.",
      "",
      "By default this is exactly the AST/SSAST/EAT front end:",
      "  torchaudio.compliance.kaldi.fbank(w - w.mean(), htk_compat=True, sample_frequency=16000,",
      "      use_energy=False, window_type='hanning', num_mel_bins=128, dither=0.0, frame_shift=10)",
      "after mixing down to mono and resampling to 16 kHz like torchaudio.functional.resample.",
      "Add --norm audioset (or --norm-mean/--norm-std) and --target-frames 1024 for a model-ready input."
    })
final class FbankCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "WAV or FLAC file.")
  Path input;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.npy", description = "Output file.")
  Path output;

  @Option(names = "--png", paramLabel = "FILE.png", description = "Also draw the features as an image.")
  Path png;

  @Mixin FrontEndOptions frontEnd;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--target-frames", frontEnd.targetFrames, 0);
    OptionChecks.outputFile(output);
    OptionChecks.outputFile(png);
    FrontEnd pipeline = frontEnd.frontEnd();
    float[][] features = pipeline.process(input);
    Npy.write(output, NpyArray.ofMatrix(features));
    if (png != null && features.length > 0) {
      dev.earshot.plot.SpectrogramImage.write(png, features, 2, 2);
    }
    spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d frames x %d bins -> %s%n", input, features.length,
        features.length == 0 ? pipeline.fbank().numFeatures() : features[0].length, output);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
