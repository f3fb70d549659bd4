package dev.earshot.model;

/** How the 2-D patch grid is flattened into a token sequence; it differs by family and fixes weight layouts. */
public enum TokenOrder {
  /**
   * Index f * T' + t. The spectrogram is laid out as an image (F, T) — frequency is the height — so the
   * patch convolution weight is (D, 1, patchFreq, patchTime). SSAST, AST, MAST.
   */
  FREQUENCY_MAJOR,
  /**
   * Index t * F' + f. The image is (T, F) — time is the height — so the weight is (D, 1, patchTime,
   * patchFreq). EAT, ASiT.
   */
  TIME_MAJOR
}
