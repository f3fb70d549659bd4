package dev.earshot.pretrain;

/**
 * What data-parallel workers must do, beyond averaging gradients (which every method needs), so that a run on
 * several workers trains the same model as one worker with the whole batch. Methods list these as data;
 * distributed training reads them rather than knowing the methods.
 *
 * @param subject the state or quantity concerned (a {@link MethodState#module()} or a loss term)
 * @param collective how workers combine it
 * @param detail when it happens and why, with the reference implementation's behaviour
 */
public record Synchronisation(String subject, Collective collective, String detail) {

  /** How the workers combine a quantity. */
  public enum Collective {
    /** No communication: every worker applies the same update to identical inputs (the all-reduced student). */
    IDENTICAL_UPDATE,
    /** Averaged over workers before use (all-reduce, then divide by the world size). */
    ALL_REDUCE_MEAN,
    /** Concatenated from every worker, in rank order, before use (all-gather). */
    ALL_GATHER,
    /** Deliberately computed on each worker's own share of the batch, never combined. */
    PER_WORKER
  }
}
