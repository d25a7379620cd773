package io.jccl.engine;

import io.jccl.DataType;
import io.jccl.ReduceOp;
import io.jccl.schedule.CollectiveKind;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 64-bit collective descriptor every message carries, so a receiver can tell at once when two
 * ranks run different collectives: {@code [kind:4][dtype:4][op:4][algorithm:12][hash(count,root):40]}.
 */
final class Descriptor {
    private static final Map<Integer, String> ALGORITHM_NAMES = new ConcurrentHashMap<>();

    private Descriptor() {
    }

    static long of(CollectiveKind kind, DataType type, ReduceOp op, String algorithm, long countElements, int root) {
        int algo = algorithm.hashCode() & 0xFFF;
        ALGORITHM_NAMES.putIfAbsent(algo, algorithm);
        long h = countElements * 0x9E3779B97F4A7C15L + root * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return ((long) kind.ordinal() << 60) | ((long) type.ordinal() << 56)
                | ((long) (op == null ? 15 : op.ordinal()) << 52) | ((long) algo << 40) | (h & 0xFFFFFFFFFFL);
    }

    /** Human-readable form for error messages. */
    static String describe(long d) {
        CollectiveKind kind = CollectiveKind.values()[(int) (d >>> 60) & 0xF];
        DataType type = DataType.values()[(int) (d >>> 56) & 0xF];
        int op = (int) (d >>> 52) & 0xF;
        int algo = (int) (d >>> 40) & 0xFFF;
        return kind.key() + "(" + type.shortName() + (op == 15 ? "" : ", " + ReduceOp.values()[op].shortName())
                + ", algorithm " + ALGORITHM_NAMES.getOrDefault(algo, "#" + algo)
                + ", count/root hash " + Long.toHexString(d & 0xFFFFFFFFFFL) + ")";
    }
}
