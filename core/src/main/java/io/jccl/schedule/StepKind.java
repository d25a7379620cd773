package io.jccl.schedule;

/**
 * Step primitives, after NCCL's fused primitives. {@code in} is the incoming message, {@code ⊕}
 * the reduce op; all counts are elements of the collective's data type.
 * <ul>
 * <li>{@code SEND}: send {@code src[0,count)} to {@code sendPeer};</li>
 * <li>{@code RECV}: {@code dst[0,count) = in};</li>
 * <li>{@code RECV_REDUCE}: {@code dst[i] = src[i] ⊕ in[i]} ({@code src} may equal {@code dst});</li>
 * <li>{@code RECV_REDUCE_SEND}: as RECV_REDUCE, then send {@code dst} to {@code sendPeer};</li>
 * <li>{@code RECV_COPY_SEND}: as RECV, then send {@code dst} to {@code sendPeer};</li>
 * <li>{@code COPY}: {@code dst = src} (local);</li>
 * <li>{@code REDUCE_LOCAL}: {@code dst[i] = src[i] ⊕ dst[i]} (local).</li>
 * </ul>
 * A reducing step flagged {@link Schedule#FLAG_FINAL} applies the op's post-operation (AVG divides
 * by the world size) to its result; each output element must pass through exactly one final step
 * on the rank that completes its reduction.
 */
public enum StepKind {
    SEND(false, true, false),
    RECV(true, false, false),
    RECV_REDUCE(true, false, true),
    RECV_REDUCE_SEND(true, true, true),
    RECV_COPY_SEND(true, true, false),
    COPY(false, false, false),
    REDUCE_LOCAL(false, false, true);

    private static final StepKind[] VALUES = values();

    private final boolean receives;
    private final boolean sends;
    private final boolean reduces;

    StepKind(boolean receives, boolean sends, boolean reduces) {
        this.receives = receives;
        this.sends = sends;
        this.reduces = reduces;
    }

    public boolean receives() {
        return receives;
    }

    public boolean sends() {
        return sends;
    }

    public boolean reduces() {
        return reduces;
    }

    /** True when the step reads {@code src}. */
    public boolean readsSrc() {
        return this == SEND || this == RECV_REDUCE || this == RECV_REDUCE_SEND || this == COPY
                || this == REDUCE_LOCAL;
    }

    /** True when the step writes {@code dst}. */
    public boolean writesDst() {
        return this != SEND;
    }

    static StepKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
