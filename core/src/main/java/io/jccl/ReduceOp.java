package io.jccl;

/**
 * Reduction operators. {@link #AVG} is the sum divided by the world size, computed in the
 * accumulation type (integer division truncating toward zero for integer types, {@code float} for
 * the 16-bit float types). The bitwise operators are defined for integer types only.
 */
public enum ReduceOp {
    SUM, PROD, MIN, MAX, AVG, BAND, BOR, BXOR;

    /** True when this operator is defined for {@code type}. */
    public boolean supports(DataType type) {
        switch (this) {
            case BAND: case BOR: case BXOR:
                return !type.isFloatingPoint();
            default:
                return true;
        }
    }

    /** Lower-case name ({@code sum}, {@code band}, ...). */
    public String shortName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #shortName()}; also accepts {@code and}, {@code or}, {@code xor}, {@code mean}. */
    public static ReduceOp parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "sum": return SUM;
            case "prod": return PROD;
            case "min": return MIN;
            case "max": return MAX;
            case "avg": case "mean": return AVG;
            case "band": case "and": return BAND;
            case "bor": case "or": return BOR;
            case "bxor": case "xor": return BXOR;
            default:
                throw new IllegalArgumentException("Unknown reduce op '" + text
                        + "'; use one of sum, prod, min, max, avg, band, bor, bxor");
        }
    }
}
