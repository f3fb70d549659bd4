package dev.earshot.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.ConfigException;
import dev.earshot.model.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cached result is reused only for the inputs it was computed from; folders from before the check pass. */
class CachedInputsTest {
  @TempDir Path dir;

  @Test
  void sameInputsPassAndAChangedOneIsNamedWithBothValues() {
    Path result = dir.resolve("tasks/drums/ssast/frozen");
    CachedInputs inputs = CachedInputs.of("frames", "512", "readout", "mean of patches");
    inputs.write(result);
    assertThat(CachedInputs.recorded(result)).isEqualTo(inputs);
    assertThat(inputs.matches(result)).isTrue();
    inputs.requireSameAs(result);

    CachedInputs otherReadout = inputs.with("readout", "mean of patches per frequency row");
    assertThat(otherReadout.matches(result)).isFalse();
    assertThatThrownBy(() -> otherReadout.requireSameAs(result))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(result.toString())
        .hasMessageContaining("computed with readout = mean of patches, but this comparison asks for mean of patches"
            + " per frequency row")
        .hasMessageContaining("use another --out");
    // an input one side does not have is a difference too
    assertThatThrownBy(() -> inputs.with("epochs", "30").requireSameAs(result))
        .hasMessageContaining("epochs = (not recorded)");
  }

  @Test
  void aResultWithoutRecordedInputsIsAcceptedButADerivedEncoderIsRebuilt() {
    Path legacy = dir.resolve("legacy");
    assertThat(CachedInputs.recorded(legacy)).isNull();
    CachedInputs.of("frames", "96").requireSameAs(legacy); // a result from before the records: read as it is
    assertThat(CachedInputs.of("frames", "96").matches(legacy)).isFalse(); // an encoder: rebuilt
  }

  @Test
  void theWeightsDigestFollowsTheBytes() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Files.write(a.resolve(ModelDirectory.WEIGHTS), new byte[] {1, 2, 3});
    Files.write(b.resolve(ModelDirectory.WEIGHTS), new byte[] {1, 2, 3});
    assertThat(CachedInputs.weightsDigest(a)).isEqualTo(CachedInputs.weightsDigest(b))
        // SHA-256 of the bytes 01 02 03
        .isEqualTo("sha256:039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
    Files.write(b.resolve(ModelDirectory.WEIGHTS), new byte[] {1, 2, 4});
    assertThat(CachedInputs.weightsDigest(a)).isNotEqualTo(CachedInputs.weightsDigest(b));
  }
}
