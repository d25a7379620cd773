package io.jccl;

/**
 * Element types a collective can move and reduce. Values are stored in native byte order in the
 * caller's buffers; {@link #FLOAT16} and {@link #BFLOAT16} are reduced with {@code float}
 * accumulation and rounded to nearest even when stored.
 */
public enum DataType {
    INT8(1, false),
    UINT8(1, false),
    INT32(4, false),
    INT64(8, false),
    FLOAT16(2, true),
    BFLOAT16(2, true),
    FLOAT32(4, true),
    FLOAT64(8, true);

    private final int sizeBytes;
    private final boolean floatingPoint;

    DataType(int sizeBytes, boolean floatingPoint) {
        this.sizeBytes = sizeBytes;
        this.floatingPoint = floatingPoint;
    }

    /** Size of one element in bytes. */
    public int sizeBytes() {
        return sizeBytes;
    }

    /** True for the floating-point types (bitwise reduce ops are refused for them). */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** Lower-case name used in options, logs and the perf tool ({@code float32}, {@code bfloat16}, ...). */
    public String shortName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #shortName()} or common aliases such as {@code float}, {@code half}, {@code bf16}, {@code int}. */
    public static DataType parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "int8": case "char": case "byte": return INT8;
            case "uint8": case "ubyte": return UINT8;
            case "int32": case "int": return INT32;
            case "int64": case "long": return INT64;
            case "float16": case "half": case "fp16": return FLOAT16;
            case "bfloat16": case "bf16": return BFLOAT16;
            case "float32": case "float": case "fp32": return FLOAT32;
            case "float64": case "double": case "fp64": return FLOAT64;
            default:
                throw new IllegalArgumentException("Unknown data type '" + text
                        + "'; use one of int8, uint8, int32, int64, float16, bfloat16, float32, float64");
        }
    }
}
