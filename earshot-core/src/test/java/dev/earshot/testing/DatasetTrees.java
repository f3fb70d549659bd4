package dev.earshot.testing;

import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import dev.earshot.audio.synth.EventSynthesizer;
import dev.earshot.audio.synth.SoundEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small dataset trees in the exact layouts of the public datasets (ESC-50, Speech Commands, AudioSet JSON,
 * VoxCeleb1, IEMOCAP) and of earshot's generic formats, filled with short generated clips whose class decides
 * the kind of sound event.
 */
public final class DatasetTrees {
  private static final SoundEvent[] KINDS = SoundEvent.values();
  private final SplittableRandom rng = new SplittableRandom(5);
  private final EventSynthesizer synth = new EventSynthesizer(16000);

  private void clip(Path file, int cls) throws IOException {
    Files.createDirectories(file.getParent());
    Waveform w = synth.clip(KINDS[cls % KINDS.length], 0.5, rng);
    WavWriter.write(file, w, WavWriter.Coding.PCM16);
  }

  /** ESC-50: meta/esc50.csv and audio/, {@code classes} categories over 5 folds, one clip per class and fold. */
  public Path esc50(Path root, int classes) throws IOException {
    List<String> csv = new ArrayList<>();
    csv.add("filename,fold,target,category,esc10,src_file,take");
    for (int fold = 1; fold <= 5; fold++) {
      for (int c = 0; c < classes; c++) {
        String name = fold + "-" + (100 + c) + "-A-" + c + ".wav";
        clip(root.resolve("audio").resolve(name), c);
        csv.add(name + "," + fold + "," + c + ",category_" + c + ",False," + (100 + c) + ",A");
      }
    }
    Files.createDirectories(root.resolve("meta"));
    Files.write(root.resolve("meta/esc50.csv"), csv);
    return root;
  }

  /** Speech Commands: word folders, validation/testing lists, and a _background_noise_ folder. */
  public Path speechCommands(Path root, String... words) throws IOException {
    List<String> validation = new ArrayList<>();
    List<String> testing = new ArrayList<>();
    for (int w = 0; w < words.length; w++) {
      for (int i = 0; i < 5; i++) {
        String rel = words[w] + "/spk" + i + "_nohash_0.wav";
        clip(root.resolve(rel), w);
        if (i == 3) {
          validation.add(rel);
        } else if (i == 4) {
          testing.add(rel);
        }
      }
    }
    clip(root.resolve("_background_noise_/white_noise.wav"), 5);
    Files.write(root.resolve("validation_list.txt"), validation);
    Files.write(root.resolve("testing_list.txt"), testing);
    return root;
  }

  /** AudioSet-style data/train.json and class_labels_indices.csv; multi-label. Returns the JSON. */
  public Path audioSet(Path root, int clips) throws IOException {
    List<String> labels = List.of("index,mid,display_name", "0,/m/a,Speech", "1,/m/b,\"Dog, bark\"", "2,/m/c,Music");
    Files.createDirectories(root);
    Files.write(root.resolve("class_labels_indices.csv"), labels);
    StringBuilder json = new StringBuilder("{\"data\": [");
    for (int i = 0; i < clips; i++) {
      clip(root.resolve("audio/clip" + i + ".wav"), i % 3);
      String mids = i % 3 == 0 ? "/m/a" : i % 3 == 1 ? "/m/b,/m/a" : "/m/c";
      json.append(i == 0 ? "" : ",").append("{\"wav\": \"audio/clip").append(i).append(".wav\", \"labels\": \"")
          .append(mids).append("\"}");
    }
    json.append("]}");
    Files.writeString(root.resolve("train.json"), json.toString());
    return root.resolve("train.json");
  }

  /** VoxCeleb1 identification: iden_split.txt and wav/SPEAKER/VIDEO/NNNNN.wav. */
  public Path voxCeleb1(Path root, int speakers) throws IOException {
    List<String> split = new ArrayList<>();
    for (int s = 0; s < speakers; s++) {
      for (int i = 0; i < 4; i++) {
        String rel = String.format("id1%04d/vid%d/%05d.wav", s + 1, i % 2, i + 1);
        clip(root.resolve("wav").resolve(rel), s);
        split.add((i < 2 ? 1 : i == 2 ? 2 : 3) + " " + rel);
      }
    }
    Files.write(root.resolve("iden_split.txt"), split);
    return root;
  }

  /** IEMOCAP: two sessions with EmoEvaluation files (including an excited and an unused emotion). */
  public Path iemocap(Path root) throws IOException {
    String[] emotions = {"neu", "hap", "ang", "sad", "exc", "fru"};
    for (int s = 1; s <= 2; s++) {
      String dialog = String.format("Ses0%dF_impro01", s);
      List<String> eval = new ArrayList<>();
      eval.add("% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]");
      for (int i = 0; i < emotions.length * 2; i++) {
        String utt = String.format("%s_F%03d", dialog, i);
        eval.add(String.format("[%.4f - %.4f]\t%s\t%s\t[2.5000, 2.5000, 2.5000]", i * 2.0, i * 2.0 + 1.5, utt,
            emotions[i % emotions.length]));
        eval.add("C-E1:\tNeutral;\t()");
        clip(root.resolve("Session" + s + "/sentences/wav/" + dialog + "/" + utt + ".wav"), i % 4);
      }
      Path f = root.resolve("Session" + s + "/dialog/EmoEvaluation/" + dialog + ".txt");
      Files.createDirectories(f.getParent());
      Files.write(f, eval);
    }
    return root;
  }

  /** A folder with one subfolder per class. */
  public Path folder(Path root, int classes, int perClass) throws IOException {
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < perClass; i++) {
        clip(root.resolve("class" + c + "/clip" + i + ".wav"), c);
      }
    }
    return root;
  }

  /** A CSV manifest (file,label,group) with quoted fields; returns the CSV. */
  public Path csv(Path root, int classes, int perClass) throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add("file,label,group");
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < perClass; i++) {
        String rel = "clips/c" + c + "_" + i + ".wav";
        clip(root.resolve(rel), c);
        rows.add("\"" + rel + "\",label " + c + "," + (i < perClass - 1 ? "train" : "test"));
      }
    }
    Files.write(root.resolve("manifest.csv"), rows);
    return root.resolve("manifest.csv");
  }
}
