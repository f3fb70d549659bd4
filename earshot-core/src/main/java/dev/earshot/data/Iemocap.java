package dev.earshot.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * IEMOCAP in its release layout ({@code Session1..5/sentences/wav/<dialog>/<utterance>.wav} and
 * {@code SessionN/dialog/EmoEvaluation/<dialog>.txt}) with the usual 4-class mapping: neutral, happy
 * (happiness and excited merged), angry, sad; other emotions are dropped. Groups are the sessions, for
 * leave-one-session-out evaluation.
 */
public final class Iemocap {
  private static final Pattern LINE =
      Pattern.compile("^\\[[0-9.]+ - [0-9.]+\\]\\s+(\\S+)\\s+(\\S+)\\s+\\[.*$");
  private static final List<String> CLASSES = List.of("neutral", "happy", "angry", "sad");
  private static final Map<String, Integer> MAP = Map.of("neu", 0, "hap", 1, "exc", 1, "ang", 2, "sad", 3);

  private Iemocap() {}

  public static Dataset read(Path root) {
    List<Clip> clips = new ArrayList<>();
    int sessions = 0;
    for (int s = 1; s <= 5; s++) {
      Path session = root.resolve("Session" + s);
      if (!Files.isDirectory(session)) {
        continue;
      }
      sessions++;
      Path eval = session.resolve("dialog").resolve("EmoEvaluation");
      List<Path> files;
      try (Stream<Path> st = Files.list(eval)) {
        files = st.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException(eval + ": " + e.getMessage(), e);
      }
      for (Path f : files) {
        for (String line : AudioFiles.lines(f)) {
          Matcher m = LINE.matcher(line);
          if (!m.matches()) {
            continue;
          }
          Integer label = MAP.get(m.group(2));
          if (label == null) {
            continue;
          }
          String utt = m.group(1);
          String dialog = utt.substring(0, utt.lastIndexOf('_'));
          Path wav = session.resolve("sentences").resolve("wav").resolve(dialog).resolve(utt + ".wav");
          clips.add(new Clip(utt, wav, new int[] {label}, "Session" + s));
        }
      }
    }
    if (sessions == 0) {
      throw new DatasetFormatException(root, "not an IEMOCAP folder: no Session1..Session5");
    }
    return new Dataset("IEMOCAP", clips, CLASSES, false);
  }
}
