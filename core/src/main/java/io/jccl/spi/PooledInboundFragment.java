package io.jccl.spi;

/**
 * Base for fragments that are kept beyond their callback and then recycled: the header is set anew
 * each time the object is reused ({@link #reuse}), references are counted ({@link #retain()},
 * {@link #release()}), and use after the last release fails loudly instead of reading data that
 * now belongs to someone else. When the last reference goes, {@link #recycled()} hands the object
 * back to its pool. Not thread-safe: references are counted on one thread, the engine's loop.
 */
public abstract class PooledInboundFragment implements InboundFragment {
    private final String kind;
    private int peerRank;
    private long tag;
    private long descriptor;
    private int messageBytes;
    private int offsetBytes;
    private int references;

    /** {@code kind} names the fragment in the use-after-release error, e.g. "TCP". */
    protected PooledInboundFragment(String kind) {
        this.kind = kind;
    }

    /** Starts a new life: this header and one reference. */
    protected final void reuse(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes) {
        this.peerRank = peerRank;
        this.tag = tag;
        this.descriptor = descriptor;
        this.messageBytes = messageBytes;
        this.offsetBytes = offsetBytes;
        this.references = 1;
    }

    /** Throws unless a reference is held; {@link #data()} implementations call it first. */
    protected final void live() {
        if (references <= 0) {
            throw new IllegalStateException(kind + " fragment used after its release");
        }
    }

    /** The last reference went: give the object (and what it holds) back. Called once per life. */
    protected abstract void recycled();

    @Override
    public final int peerRank() {
        live();
        return peerRank;
    }

    @Override
    public final long tag() {
        live();
        return tag;
    }

    @Override
    public final long descriptor() {
        live();
        return descriptor;
    }

    @Override
    public final int messageBytes() {
        live();
        return messageBytes;
    }

    @Override
    public final int offsetBytes() {
        live();
        return offsetBytes;
    }

    @Override
    public final InboundFragment retain() {
        live();
        references++;
        return this;
    }

    @Override
    public final void release() {
        live();
        if (--references == 0) {
            recycled();
        }
    }
}
