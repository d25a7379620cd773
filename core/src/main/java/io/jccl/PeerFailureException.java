package io.jccl;

/** A peer closed its connection, died or sent something unreadable. */
public class PeerFailureException extends JcclException {
    private final int peerRank;

    public PeerFailureException(int peerRank, String message, Throwable cause) {
        super(message, cause);
        this.peerRank = peerRank;
    }

    /** Rank of the failed peer, or -1 when unknown. */
    public int peerRank() {
        return peerRank;
    }
}
