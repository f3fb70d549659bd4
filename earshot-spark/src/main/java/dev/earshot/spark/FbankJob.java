package dev.earshot.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.Waveform;
import dev.earshot.features.FrontEnd;
import dev.earshot.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The front end per clip, as {@code earshot fbank}: decode, mix down, resample, Kaldi filterbank, then the
 * front end's padding/cropping and normalisation; the features are a (frames, bins) array per row.
 */
final class FbankJob implements ClipJob {
  private static final long serialVersionUID = 1L;

  static final String FRAMES = "frames";
  static final String BINS = "bins";
  static final String FEATURES = "features";

  /** The front end as JSON (its records travel to the executors as text). */
  private final String frontEnd;

  FbankJob(FrontEnd frontEnd) {
    try {
      this.frontEnd = Json.line(frontEnd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<StructField> fields() {
    return List.of(Columns.field(Columns.DURATION, DataTypes.DoubleType), Columns.field(FRAMES, DataTypes.IntegerType),
        Columns.field(BINS, DataTypes.IntegerType), Columns.field(FEATURES, Columns.MATRIX));
  }

  FrontEnd frontEnd() {
    try {
      return Json.read(frontEnd, new TypeReference<FrontEnd>() { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Worker open(Configuration conf) {
    FrontEnd pipeline = frontEnd();
    return new Worker() {
      @Override
      public Object[] apply(ClipInput clip) {
        Waveform waveform = clip.read(f -> pipeline.loader().load(f),
            (bytes, name) -> pipeline.loader().toTarget(AudioFile.read(bytes, name)));
        float[][] features;
        try {
          features = pipeline.process(waveform);
        } catch (AudioInputException e) {
          throw e.source() == null ? e.withSource(clip.name()) : e;
        }
        int bins = features.length == 0 ? pipeline.fbank().numFeatures() : features[0].length;
        return new Object[] {waveform.durationSeconds(), features.length, bins, features};
      }

      @Override
      public void close() {
      }
    };
  }
}
