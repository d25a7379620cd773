package io.jccl.spi;

/**
 * Base for fragments whose message header is fixed when they are created: holds the header fields
 * every transport must report, so a transport only supplies the bytes and their lifetime.
 */
public abstract class AbstractInboundFragment implements InboundFragment {
    private final int peerRank;
    private final long tag;
    private final long descriptor;
    private final int messageBytes;
    private final int offsetBytes;

    protected AbstractInboundFragment(int peerRank, long tag, long descriptor, int messageBytes, int offsetBytes) {
        this.peerRank = peerRank;
        this.tag = tag;
        this.descriptor = descriptor;
        this.messageBytes = messageBytes;
        this.offsetBytes = offsetBytes;
    }

    @Override
    public final int peerRank() {
        return peerRank;
    }

    @Override
    public final long tag() {
        return tag;
    }

    @Override
    public final long descriptor() {
        return descriptor;
    }

    @Override
    public final int messageBytes() {
        return messageBytes;
    }

    @Override
    public final int offsetBytes() {
        return offsetBytes;
    }
}
