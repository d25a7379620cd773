package io.jccl.schedule;

/**
 * Turns a collective request into a schedule. Implementations are pure and deterministic: no I/O,
 * no threads, no clocks; the engine caches their plans per (algorithm, spec, rank).
 *
 * <p>Contract every plan must keep (checked by the schedule tests): for each pair of ranks and each
 * lane, the k-th send from rank a to rank b on that lane has the same element count as the k-th
 * receive on rank b from rank a on that lane; executing each lane's steps in order with
 * non-blocking sends never deadlocks; lanes of one rank touch disjoint memory; every rank ends with
 * the same result bits.
 */
public interface Algorithm {

    /** Short lower-case name used in options and rule strings ({@code ring}, {@code tree}, ...). */
    String name();

    /** The collective this algorithm implements. */
    CollectiveKind kind();

    /** False when this algorithm cannot run {@code spec} (e.g. power-of-two world sizes only). */
    boolean supports(CollectiveSpec spec);

    /** The steps {@code rank} executes for {@code spec}. Only called when {@link #supports} is true. */
    Schedule plan(CollectiveSpec spec, int rank);
}
