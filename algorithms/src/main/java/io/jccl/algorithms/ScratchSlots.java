package io.jccl.algorithms;

/**
 * Bounded scratch for partial sums in transit: per lane a ring of at most {@value #SLOTS}
 * slice-sized slots, handed out in emission order. A slot is reused {@value #SLOTS} slices later;
 * by then the engine's in-flight window (about sixteen steps) has retired the step that last used
 * it, and if not, the engine's conflict tracking orders the reuse after it, so reuse costs no
 * correctness. Slots are no larger than the data, so small messages need little scratch.
 */
final class ScratchSlots {
    static final int SLOTS = 16;

    private final long baseElements;
    private final long slotElements;
    private final int slots;
    private long next;

    private ScratchSlots(long baseElements, long slotElements, int slots) {
        this.baseElements = baseElements;
        this.slotElements = slotElements;
        this.slots = slots;
    }

    /**
     * Plans the scratch of all lanes: each lane's slices are at most {@code min(sliceElements,
     * maxPartElements)} long, and at most {@code maxSlicesInTransit} of them are ever in transit.
     * Declares the total on {@code b}; {@link #forLane} then hands out each lane's region.
     */
    static Layout layout(io.jccl.schedule.ScheduleBuilder b, int lanes, long sliceElements, long maxPartElements,
                         long maxSlicesInTransit) {
        long slot = Math.min(sliceElements, maxPartElements);
        int slots = (int) Math.max(1, Math.min(SLOTS, maxSlicesInTransit));
        Layout layout = new Layout(slot, slots);
        b.scratch(maxSlicesInTransit > 0 ? layout.laneElements() * lanes : 0);
        return layout;
    }

    /** The per-lane shape shared by all lanes of one plan. */
    record Layout(long slotElements, int slots) {
        long laneElements() {
            return slotElements * slots;
        }

        ScratchSlots forLane(int lane) {
            return new ScratchSlots(lane * laneElements(), slotElements, slots);
        }
    }

    /** Offset of the next slot. */
    long next() {
        long offset = baseElements + (next % slots) * slotElements;
        next++;
        return offset;
    }
}
