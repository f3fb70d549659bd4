package dev.earshot.interop;

import java.util.Locale;

/** The foreign checkpoint formats earshot imports. */
public enum ImportSource {
  /** SSAST {@code .pth}: a DataParallel state dict (pretrained, with its pretraining geometry, or fine-tuned). */
  SSAST("ssast"),
  /** AST {@code .pth} (YuanGongND/ast): a DataParallel state dict of a fine-tuned model. */
  AST("ast"),
  /** Hugging Face {@code ASTForAudioClassification}: a folder with config.json and model.safetensors. */
  AST_HF("ast-hf"),
  /** EAT fairseq {@code .pt} (pretraining or fine-tuned), whose config objects are skipped safely. */
  EAT("eat"),
  /** The Hugging Face port of EAT: a folder with config.json and model.safetensors. */
  EAT_HF("eat-hf"),
  /** ASiT {@code checkpoint.pth} (student and teacher dictionaries, main_ASiT.py's layout). */
  ASIT("asit");

  private final String cliName;

  ImportSource(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** The source named {@code name} on the command line (ssast, ast, ast-hf, eat, eat-hf, asit). */
  public static ImportSource parse(String name) {
    for (ImportSource s : values()) {
      if (s.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new dev.earshot.ConfigException("--from: unknown format '" + name + "' (ssast, ast, ast-hf, eat, eat-hf, asit)");
  }
}
