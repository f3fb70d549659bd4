package dev.earshot.audio.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.audio.AudioFile;
import dev.earshot.data.Clip;
import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark generator at its tiny size: every task reads back through earshot's dataset readers with the
 * promised classes, splits and lengths, test instruments and test speakers are held out, and the same seed gives
 * the same files. Where eSpeak NG, FluidSynth or the SoundFont is not installed, the generator must refuse with
 * an error naming the Debian package instead.
 */
class RepresentationBenchmarkTest {
  private static final RepresentationBenchmark TINY = RepresentationBenchmark.of(BenchmarkSize.TINY, 18);

  private static boolean installed() {
    return ExternalProgram.ESPEAK_NG.available() && ExternalProgram.FLUIDSYNTH.available()
        && Files.isRegularFile(SoundFontRenderer.DEBIAN_GM_SOUNDFONT);
  }

  @Test
  void aMissingProgramNamesItsDebianPackage() {
    ExternalProgram missing = new ExternalProgram("earshot-no-such-program", "earshot-no-such-package");
    assertThat(missing.available()).isFalse();
    assertThatThrownBy(missing::locate).isInstanceOf(ExternalProgramException.class)
        .hasMessageContaining("apt-get install earshot-no-such-package");
    SoundFontRenderer noFont = new SoundFontRenderer(Path.of("no-such-font.sf2"), 16000);
    if (ExternalProgram.FLUIDSYNTH.available()) {
      assertThatThrownBy(noFont::requireInstalled).hasMessageContaining("fluid-soundfont-gm");
    }
  }

  @Test
  void tinyBenchmarkReadsBackInEveryLayout(@TempDir Path root) throws Exception {
    if (!installed()) {
      assertThatThrownBy(() -> TINY.writeTo(root, n -> { })).isInstanceOf(ExternalProgramException.class)
          .hasMessageMatching("(?s).*apt-get install (espeak-ng|fluidsynth|fluid-soundfont-gm).*");
      return;
    }
    RepresentationBenchmark.Manifest m = TINY.writeTo(root, n -> { });
    assertThat(m.clips()).isEqualTo(TINY.clipCount());
    assertThat(TINY.isWrittenIn(root)).isTrue();
    assertThat(RepresentationBenchmark.of(BenchmarkSize.TINY, 19).isWrittenIn(root)).isFalse();

    Dataset drums = DatasetSource.read(resolve(root, "esc50:drums"));
    assertThat(drums.classes()).containsExactly("kick", "snare", "clap");
    assertThat(drums.groups()).containsExactlyInAnyOrder("1", "2", "3", "4", "5");
    assertThat(seconds(drums.clips().get(0))).isEqualTo(5.0);

    Dataset train = DatasetSource.read(resolve(root, "folder:instruments/train"));
    Dataset test = DatasetSource.read(resolve(root, "folder:instruments/test"));
    assertThat(train.classes()).containsExactly("keyboard", "mallet", "organ").isEqualTo(test.classes());
    assertThat(programs(test)).doesNotContainAnyElementsOf(programs(train));

    Dataset words = DatasetSource.read(resolve(root, "speechcommands:keywords"));
    assertThat(words.classes()).containsExactlyInAnyOrder("yes", "no", "up");
    assertThat(words.size()).isEqualTo(3 * 4);
    assertThat(speakers(words.group("testing"))).doesNotContainAnyElementsOf(speakers(words.group("train")));
    assertThat(seconds(words.clips().get(0))).isEqualTo(1.0);

    Dataset voices = DatasetSource.read(resolve(root, "voxceleb1:speakers"));
    assertThat(voices.classes()).hasSize(6);
    assertThat(voices.group("train").size()).isEqualTo(6 * 7);
    assertThat(voices.group("test").size()).isEqualTo(6 * 2);

    Dataset pool = DatasetSource.read(resolve(root, "unlabeled:pool"));
    assertThat(pool.size()).isEqualTo(12);

    Path again = Files.createDirectories(root.resolve("again"));
    RepresentationBenchmark.of(BenchmarkSize.TINY, 18).writeTo(again, n -> { });
    for (String f : List.of("drums/audio/1-0000-A-0.wav", "pool/speech_00001.wav", "pool/music_00002.wav")) {
      assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(root.resolve(f)));
    }
  }

  private static String resolve(Path root, String spec) {
    return RepresentationBenchmark.Manifest.resolve(root, spec);
  }

  private static double seconds(Clip c) {
    var a = AudioFile.read(c.file());
    return a.length() / (double) a.sampleRateHz();
  }

  private static Set<String> programs(Dataset d) {
    return d.clips().stream().map(c -> c.file().getFileName().toString().replaceAll("^[a-z_]+_(\\d+)-.*", "$1"))
        .collect(Collectors.toSet());
  }

  private static Set<String> speakers(Dataset d) {
    return new HashSet<>(d.clips().stream().map(c -> c.file().getFileName().toString().split("_")[0]).toList());
  }
}
