package dev.earshot.audio.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.audio.AudioStream;
import dev.earshot.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Truncated, damaged and hostile inputs to the FFmpeg decoder give the same typed {@link AudioInputException}
 * as the WAV and FLAC readers, naming the input; nothing else escapes, and nothing outside the input is
 * opened.
 */
class BadCodecInputTest {
  private static final List<String> LOSSY = List.of("stereo_44k1.mp3", "mono_22k05.ogg", "stereo_48k.opus",
      "mono_44k1.m4a");

  @TempDir Path dir;

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(Fixtures.path("/fixtures/codecs/" + name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"stereo_44k1.mp3", "mono_22k05.ogg", "stereo_48k.opus", "mono_44k1.m4a"})
  void halfAFileIsTruncated(String name) throws Exception {
    byte[] bytes = fixture(name);
    Path cut = dir.resolve("cut-" + name);
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> AudioFile.read(cut)).isInstanceOfSatisfying(AudioInputException.class, e -> {
      assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
      assertThat(e.file()).isEqualTo(cut);
      assertThat(e.getMessage()).startsWith(cut + ": ").contains("truncated");
    });
    assertThatThrownBy(() -> AudioFile.read(Arrays.copyOf(bytes, bytes.length / 2), "upload.bin"))
        .isInstanceOfSatisfying(AudioInputException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
          assertThat(e.file()).isNull();
          assertThat(e.source()).isEqualTo("upload.bin");
          assertThat(e.getMessage()).startsWith("upload.bin: ");
        });
  }

  @Test
  void truncatedWhileStreamingFailsAtTheEnd() throws Exception {
    byte[] bytes = fixture("stereo_44k1.mp3");
    Path cut = dir.resolve("cut.mp3");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    try (AudioStream s = AudioFile.stream(cut)) {
      float[][] buffer = new float[2][4096];
      assertThatThrownBy(() -> {
        while (s.read(buffer) > 0) {
          // the samples before the cut are delivered; the end reports the truncation
        }
      }).isInstanceOfSatisfying(AudioInputException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TRUNCATED));
    }
  }

  @Test
  void notAudioIsUnsupported() throws Exception {
    byte[] text = "hello, this is not audio at all, just a line of text".getBytes(StandardCharsets.US_ASCII);
    assertProblem(text, Problem.UNSUPPORTED_FORMAT, "unrecognised");
    byte[] noise = new byte[5000];
    new Random(1).nextBytes(noise);
    // FFmpeg's probe may take noise for a weak MP3 match; then its headers are found damaged
    assertThatThrownBy(() -> AudioFile.read(noise, "noise.bin")).isInstanceOfSatisfying(AudioInputException.class,
        e -> assertThat(e.problem()).isIn(Problem.UNSUPPORTED_FORMAT, Problem.CORRUPT));
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png);
    assertProblem(png.toByteArray(), Problem.UNSUPPORTED_FORMAT, "");
    assertProblem(new byte[0], Problem.EMPTY, "empty");
  }

  @Test
  void playlistsDoNotOpenWhatTheyName() throws Exception {
    Path secret = dir.resolve("secret.mp3");
    Files.write(secret, fixture("mono_16k.mp3"));
    String[] playlists = {
      "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile://" + secret + "\n#EXT-X-ENDLIST\n",
      "ffconcat version 1.0\nfile '" + secret + "'\n",
    };
    for (String p : playlists) {
      Path list = dir.resolve("list.m3u8");
      Files.writeString(list, p);
      assertThatThrownBy(() -> AudioFile.read(list)).isInstanceOfSatisfying(AudioInputException.class,
          e -> assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_FORMAT));
    }
  }

  @Test
  void mutatedFilesNeverEscapeAsOtherErrors() throws Exception {
    Random random = new Random(42);
    int decoded = 0;
    int rejected = 0;
    for (String name : LOSSY) {
      byte[] original = fixture(name);
      for (int trial = 0; trial < 60; trial++) {
        byte[] bytes = original.clone();
        int flips = 1 + random.nextInt(40);
        for (int i = 0; i < flips; i++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
          bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length));
        }
        try {
          AudioFile.read(bytes, name + "#" + trial);
          decoded++;
        } catch (AudioInputException e) {
          assertThat(e.getMessage()).startsWith(name + "#" + trial + ": ");
          rejected++;
        }
      }
    }
    assertThat(decoded + rejected).isEqualTo(240);
    assertThat(rejected).isPositive();
  }

  @Test
  void forwardOnlyStreamsDecodeLikeFiles() throws Exception {
    for (String name : LOSSY) {
      byte[] bytes = fixture(name);
      try (AudioStream s = AudioFile.stream(new ByteArrayInputStream(bytes), "pipe:" + name)) {
        float[] expected = AudioFile.read(bytes, name).channels()[0];
        float[] streamed = s.readFully().channels()[0];
        // Without seeking, FFmpeg cannot always find the end padding an encoder declared at the end of
        // the file: at most one codec frame more, the samples before it identical.
        assertThat(streamed.length).as(name).isBetween(expected.length, expected.length + 2048);
        assertThat(Arrays.copyOf(streamed, expected.length)).as(name).isEqualTo(expected);
      }
    }
  }

  private static void assertProblem(byte[] bytes, Problem problem, String part) {
    assertThatThrownBy(() -> AudioFile.read(bytes, "input.bin")).isInstanceOfSatisfying(AudioInputException.class,
        e -> {
          assertThat(e.problem()).isEqualTo(problem);
          assertThat(e.getMessage()).startsWith("input.bin: ").contains(part);
        });
  }
}
