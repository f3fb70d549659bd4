package dev.earshot.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.earshot.EarshotException;
import dev.earshot.features.FrontEnd;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz targets for the WAV and FLAC decoders, followed by the rest of the front end (mix-down,
 * resampling to 16 kHz, filterbank), where a header's sampling rate decides the work. A typed
 * {@link EarshotException} is an accepted outcome; anything else (another exception, an
 * {@link OutOfMemoryError}, a hang) is a finding.
 *
 * <p>With the unit tests these run the committed inputs in {@code AudioDecodeFuzzTestInputs/} (seeds and one
 * regression file per known case); {@code JAZZER_FUZZ=1} fuzzes one of them (see the fuzz profiles in
 * earshot-core's pom and docs/FUZZING.md).
 */
class AudioDecodeFuzzTest {
  private static final Path WAV = Path.of("fuzz.wav");
  private static final Path FLAC = Path.of("fuzz.flac");
  /** Fuzz inputs are small; a minute of audio is more than any of them can hold uncompressed. */
  private static final AudioLimits LIMITS = new AudioLimits(1000, 768_000, 60);
  private static final FrontEnd FRONT_END = FrontEnd.ast(128);

  @FuzzTest(maxDuration = "8s")
  void wav(byte[] data) {
    decode(WAV, data);
  }

  @FuzzTest(maxDuration = "8s")
  void flac(byte[] data) {
    decode(FLAC, data);
  }

  /** Entry point of the standalone driver (long runs): WAV. */
  public static final class Wav {
    /** Loads (and instruments) the decoder and front end before the timed executions start. */
    public static void fuzzerInitialize() {
      warmUp();
    }

    public static void fuzzerTestOneInput(byte[] data) {
      decode(WAV, data);
    }
  }

  /** Entry point of the standalone driver (long runs): FLAC. */
  public static final class Flac {
    /** Loads (and instruments) the decoder and front end before the timed executions start. */
    public static void fuzzerInitialize() {
      warmUp();
      decode(FLAC, FlacStreams.constantFrames(16000, 0, 3, 4096));
    }

    public static void fuzzerTestOneInput(byte[] data) {
      decode(FLAC, data);
    }
  }

  static void warmUp() {
    float[] x = new float[8000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.1);
    }
    decode(WAV, WavWriter.encode(new float[][] {x}, 22050, WavWriter.Coding.PCM16));
  }

  static void decode(Path name, byte[] data) {
    try {
      MultichannelAudio audio = AudioFile.decode(name, data, LIMITS);
      Waveform mono = AudioLoader.DEFAULT.toTarget(audio);
      FRONT_END.process(mono);
    } catch (EarshotException expected) {
      // a typed error naming the problem is the contract for bad input
    }
  }
}
