package dev.earshot.cli;

import dev.earshot.tensor.Execution;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --precision}, shared by every command that computes with a model. */
final class ExecutionOptions {
  @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
      description = "Where to compute: cpu, cuda or cuda:N (a GPU build: see README, 'GPUs'). Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
      description = "Matrix products in fp32, or bf16 (CPUs with AVX512-BF16/AMX, GPUs): about 2x faster, "
          + "weights and losses stay fp32. Default: ${DEFAULT-VALUE}.")
  String precision;

  /** The parsed choice, checked to be usable on this machine. */
  Execution execution() {
    return Execution.parse(device, precision).checkAvailable();
  }
}
