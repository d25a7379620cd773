package io.jccl.spi;

/**
 * Layout of the 64-bit message tag: {@code [p2p:1][sequence:31][lane:8][index:24]}. Collectives
 * use the communicator's collective sequence number; point-to-point messages set the top bit and
 * count per peer pair instead. Transports may use {@link #lane(long)} to spread lanes over
 * several connections.
 */
public final class Tags {
    public static final long P2P_BIT = 1L << 63;
    public static final int MAX_LANES = 256;
    public static final int MAX_INDEX = (1 << 24) - 1;

    private Tags() {
    }

    public static long collective(int sequence, int lane, int index) {
        return ((long) (sequence & 0x7FFFFFFF) << 32) | ((long) (lane & 0xFF) << 24) | (index & 0xFFFFFF);
    }

    public static long pointToPoint(int sequence) {
        return P2P_BIT | ((long) (sequence & 0x7FFFFFFF) << 32);
    }

    public static boolean isPointToPoint(long tag) {
        return (tag & P2P_BIT) != 0;
    }

    public static int sequence(long tag) {
        return (int) ((tag >>> 32) & 0x7FFFFFFF);
    }

    public static int lane(long tag) {
        return (int) ((tag >>> 24) & 0xFF);
    }

    public static int index(long tag) {
        return (int) (tag & 0xFFFFFF);
    }

    public static String toString(long tag) {
        return isPointToPoint(tag) ? "p2p#" + sequence(tag)
                : "coll#" + sequence(tag) + "/lane" + lane(tag) + "/msg" + index(tag);
    }
}
