package dev.earshot.tensor;

import org.bytedeco.pytorch.global.torch;

/** Element types earshot uses. Floating-point parameters and activations are {@link #FLOAT32} unless bf16 is asked for. */
public enum DType {
  FLOAT32(torch.ScalarType.Float),
  FLOAT64(torch.ScalarType.Double),
  BFLOAT16(torch.ScalarType.BFloat16),
  FLOAT16(torch.ScalarType.Half),
  INT64(torch.ScalarType.Long),
  INT32(torch.ScalarType.Int),
  BOOL(torch.ScalarType.Bool);

  final torch.ScalarType scalarType;

  DType(torch.ScalarType scalarType) {
    this.scalarType = scalarType;
  }

  static DType of(torch.ScalarType type) {
    for (DType d : values()) {
      if (d.scalarType.value == type.value) {
        return d;
      }
    }
    throw new IllegalStateException("unsupported element type " + type);
  }

  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT64 || this == BFLOAT16 || this == FLOAT16;
  }
}
