package dev.earshot.testing;

import dev.earshot.interop.ImportOptions;
import dev.earshot.interop.ImportSource;
import dev.earshot.interop.Imports;
import java.nio.file.Path;

/** Small model directories imported from the committed fixture checkpoints. */
public final class TestModels {
  private TestModels() {}

  /** The AST fixture (width 64, 2 blocks, 4 heads, 100-frame = 1 s input, 7 classes, softmax) at {@code dir}. */
  public static Path ast(Path dir) throws java.io.IOException {
    Imports.run(ImportSource.AST, Fixtures.path("/fixtures/models/ast/model.pth"),
        ImportOptions.defaults().withHeads(4).withGeometry(100, 10, 10)).writeTo(dir);
    return dir;
  }

  /** The fine-tuned EAT fixture at {@code dir}. */
  public static Path eat(Path dir) throws java.io.IOException {
    Imports.run(ImportSource.EAT, Fixtures.path("/fixtures/models/eat_finetune/checkpoint.pt"),
        ImportOptions.defaults()).writeTo(dir);
    return dir;
  }
}
