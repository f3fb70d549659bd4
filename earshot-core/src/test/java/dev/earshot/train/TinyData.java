package dev.earshot.train;

import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.synth.ProceduralDataset;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.data.FolderDataset;
import dev.earshot.data.UnlabeledAudio;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import java.io.IOException;
import java.nio.file.Path;

/** A small generated dataset for training tests. */
final class TinyData {
  final Dataset pool;
  final Dataset train;
  final Dataset test;
  final FeatureSource source;

  TinyData(Path dir, int pool, int trainPerClass, int testPerClass) throws IOException {
    new ProceduralDataset(pool, trainPerClass, testPerClass, 0.5, 3).writeTo(dir, d -> { });
    this.pool = UnlabeledAudio.read(dir.resolve("pool"));
    this.train = FolderDataset.read(dir.resolve("train"));
    this.test = FolderDataset.read(dir.resolve("test"));
    this.source = features();
  }

  /** The tests' front end: the AST filterbank, 48 frames, a fixed normalisation. */
  static FeatureSource features() {
    return new FeatureSource(new FrontEnd(AudioLoader.DEFAULT, FbankConfig.ast(), new Normalization(-4, 4), 48), null);
  }
}
