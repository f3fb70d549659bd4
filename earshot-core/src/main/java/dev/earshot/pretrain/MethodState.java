package dev.earshot.pretrain;

/**
 * A piece of a method's state beyond the trained parameters: saved with every checkpoint (it is one of the
 * objective's {@link dev.earshot.train.Objective#frozen()} modules), never touched by the optimizer.
 *
 * @param module its name among the objective's frozen modules (its prefix in checkpoints)
 * @param description what it holds and how it changes
 */
public record MethodState(String module, String description) {}
