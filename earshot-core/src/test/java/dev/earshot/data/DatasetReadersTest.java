package dev.earshot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.ConfigException;
import dev.earshot.testing.DatasetTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reader on a small tree in its dataset's exact layout. */
class DatasetReadersTest {
  @TempDir Path dir;
  final DatasetTrees trees = new DatasetTrees();

  @Test
  void esc50HasFiveFoldsAndCategories() throws Exception {
    Dataset d = DatasetSource.read("esc50:" + trees.esc50(dir.resolve("ESC-50"), 3));
    assertThat(d.size()).isEqualTo(15);
    assertThat(d.classes()).containsExactly("category_0", "category_1", "category_2");
    assertThat(d.groups()).containsExactly("1", "2", "3", "4", "5");
    assertThat(d.clips().get(4).file()).hasFileName("2-101-A-1.wav").exists();
    assertThat(d.multiLabel()).isFalse();
  }

  @Test
  void speechCommandsUsesItsListsAndSkipsBackgroundNoise() throws Exception {
    Dataset d = DatasetSource.read("speechcommands:" + trees.speechCommands(dir.resolve("sc"), "no", "yes"));
    assertThat(d.classes()).containsExactly("no", "yes");
    assertThat(d.size()).isEqualTo(10);
    assertThat(d.group("train").size()).isEqualTo(6);
    assertThat(d.group("validation").size()).isEqualTo(2);
    assertThat(d.group("testing").size()).isEqualTo(2);
  }

  @Test
  void audioSetJsonIsMultiLabel() throws Exception {
    Path json = trees.audioSet(dir.resolve("as"), 6);
    Dataset d = DatasetSource.read("audioset:" + json);
    assertThat(d.multiLabel()).isTrue();
    assertThat(d.classes()).containsExactly("Speech", "Dog, bark", "Music");
    assertThat(d.clips().get(1).labels()).containsExactly(1, 0);
    assertThat(d.target(d.clips().get(1))).containsExactly(1f, 1f, 0f);
    Dataset explicit = DatasetSource.read("audioset:" + json + "," + dir.resolve("as/class_labels_indices.csv"));
    assertThat(explicit.size()).isEqualTo(6);
  }

  @Test
  void voxCelebSplitsAndSpeakers() throws Exception {
    Dataset d = DatasetSource.read("voxceleb1:" + trees.voxCeleb1(dir.resolve("vox"), 3));
    assertThat(d.classes()).containsExactly("id10001", "id10002", "id10003");
    assertThat(d.group("train").size()).isEqualTo(6);
    assertThat(d.group("test").size()).isEqualTo(3);
    assertThat(d.clips().get(0).file()).exists();
  }

  @Test
  void iemocapMapsExcitedToHappyAndDropsOtherEmotions() throws Exception {
    Dataset d = DatasetSource.read("iemocap:" + trees.iemocap(dir.resolve("IEMOCAP_full_release")));
    assertThat(d.classes()).containsExactly("neutral", "happy", "angry", "sad");
    assertThat(d.groups()).containsExactly("Session1", "Session2");
    assertThat(d.size()).isEqualTo(20); // 12 utterances per session, 2 frustrated ones dropped
    long happy = d.clips().stream().filter(c -> c.label() == 1).count();
    assertThat(happy).isEqualTo(8); // hap + exc
    d.clips().forEach(c -> assertThat(c.file()).exists());
  }

  @Test
  void folderCsvAndUnlabeled() throws Exception {
    Dataset f = DatasetSource.read(trees.folder(dir.resolve("f"), 2, 3).toString());
    assertThat(f.classes()).containsExactly("class0", "class1");
    assertThat(f.size()).isEqualTo(6);
    Dataset c = DatasetSource.read("csv:" + trees.csv(dir.resolve("c"), 2, 3));
    assertThat(c.classes()).containsExactly("label 0", "label 1");
    assertThat(c.groups()).containsExactly("train", "test");
    Dataset u = DatasetSource.read("unlabeled:" + dir.resolve("f"));
    assertThat(u.size()).isEqualTo(6);
    assertThat(u.classes()).isEmpty();
  }

  @Test
  void wrongLayoutsAreNamed() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> DatasetSource.read("esc50:" + dir.resolve("empty")))
        .isInstanceOf(DatasetFormatException.class).hasMessageContaining("meta/esc50.csv is missing");
    assertThatThrownBy(() -> DatasetSource.read("voxceleb1:" + dir.resolve("empty")))
        .hasMessageContaining("iden_split.txt is missing");
    assertThatThrownBy(() -> DatasetSource.read("iemocap:" + dir.resolve("empty")))
        .hasMessageContaining("no Session1..Session5");
    assertThatThrownBy(() -> DatasetSource.read("speechcommands:" + dir.resolve("empty")))
        .hasMessageContaining("validation_list.txt");
    assertThatThrownBy(() -> DatasetSource.read("tfrecord:" + dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown format 'tfrecord'");
  }
}
