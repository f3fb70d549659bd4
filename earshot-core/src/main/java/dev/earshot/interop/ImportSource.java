package dev.earshot.interop;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The foreign checkpoint formats earshot imports. */
public enum ImportSource {
  /** SSAST {@code .pth}: a DataParallel state dict (pretrained, with its pretraining geometry, or fine-tuned). */
  SSAST,
  /** AST {@code .pth} (YuanGongND/ast): a DataParallel state dict of a fine-tuned model. */
  AST,
  /** Hugging Face {@code ASTForAudioClassification}: a folder with config.json and model.safetensors. */
  AST_HF,
  /** EAT fairseq {@code .pt} (pretraining or fine-tuned), whose config objects are skipped safely. */
  EAT,
  /** The Hugging Face port of EAT: a folder with config.json and model.safetensors. */
  EAT_HF,
  /** ASiT {@code checkpoint.pth} (student and teacher dictionaries, main_ASiT.py's layout). */
  ASIT;

  /** Its name on the command line: the constant's name in lower case, dashes for underscores. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The source named {@code name} on the command line (ssast, ast, ast-hf, eat, eat-hf, asit). */
  public static ImportSource parse(String name) {
    for (ImportSource s : values()) {
      if (s.cliName().equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new dev.earshot.ConfigException("--from: unknown format '" + name + "' ("
        + Arrays.stream(values()).map(ImportSource::cliName).collect(Collectors.joining(", ")) + ")");
  }
}
