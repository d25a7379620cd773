package io.jccl.bench.perf;

/**
 * Element counts of one call of one collective at one size. Immutable.
 *
 * @param sizeBytes            the size actually measured after rounding (the table's size column)
 * @param countElements        the count passed to the call: per rank for allgather and reducescatter
 * @param inputElements        elements each rank's out-of-place input holds
 * @param outputElements       elements each rank's out-of-place output holds
 * @param inPlaceElements      elements of the single buffer of an in-place call
 */
public record MessageShape(long sizeBytes, long countElements, long inputElements, long outputElements,
                           long inPlaceElements) {
}
