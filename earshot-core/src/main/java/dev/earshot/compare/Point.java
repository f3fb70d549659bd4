package dev.earshot.compare;

/** A frozen clip-embedding score after {@code seconds} of pretraining ({@code step} updates). */
public record Point(long step, double seconds, double score) {}
