package dev.earshot.train;

import dev.earshot.nn.Parameter;
import java.util.Map;

/**
 * Parameters that share optimizer settings: a multiplier on the scheduled learning rate (layer-wise decay)
 * and a weight decay.
 *
 * @param name for logs
 * @param parameters by their checkpoint path
 * @param lrScale multiplies the schedule's rate
 * @param weightDecay decay coefficient (0 for biases, norms, tokens, positions)
 */
public record ParamGroup(String name, Map<String, Parameter> parameters, double lrScale, double weightDecay) {}
