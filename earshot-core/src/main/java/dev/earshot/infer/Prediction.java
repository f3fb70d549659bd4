package dev.earshot.infer;

/**
 * One class of a classifier's answer.
 *
 * @param index output index
 * @param label class name
 * @param score sigmoid probability (multi-label) or softmax probability (single-label)
 */
public record Prediction(int index, String label, float score) {}
