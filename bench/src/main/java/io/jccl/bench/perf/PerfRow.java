package io.jccl.bench.perf;

/**
 * One line of the table: a size measured out of place and in place. Immutable.
 *
 * @param sizeBytes        size after rounding to whole elements (and ranks)
 * @param countElements    the count passed to each call (per rank for allgather and reducescatter)
 * @param type             element type name ({@code float32})
 * @param redop            reduce op name, or {@code none}
 * @param root             root rank, or -1 for collectives without one
 * @param iterations       timed calls per mode actually made (after any budget reduction)
 * @param warmupIterations untimed calls per mode actually made
 * @param algorithm        the algorithm that ran (forced, or the selector's choice)
 * @param outOfPlace       the out-of-place measurement
 * @param inPlace          the in-place measurement
 */
public record PerfRow(long sizeBytes, long countElements, String type, String redop, int root, int iterations,
                      int warmupIterations, String algorithm, Measurement outOfPlace, Measurement inPlace) {
}
