package io.jccl.transport.tcp;

import io.netty.buffer.ByteBuf;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The first bytes on every data connection, sent by the dialling (sending) rank:
 * {@code [magic 4][version 4][communicatorId 8][worldSize 4][senderRank 4][targetRank 4]
 * [connectionIndex 4][byteOrder 4]}, big-endian. The acceptor answers {@code [status 4][length 4]
 * [UTF-8 reason]}; status 0 accepts, anything else refuses. Immutable.
 */
final class Handshake {
    static final int MAGIC = 0x4A43434C; // "JCCL"
    static final int VERSION = 2;
    static final int BYTES = 36;
    static final int REPLY_HEADER_BYTES = 8;
    static final int STATUS_ACCEPTED = 0;
    static final int STATUS_REFUSED = 1;
    /** Longest reason text a dialler accepts; more means a confused peer. */
    static final int MAX_REASON_BYTES = 4096;
    private static final int LITTLE_ENDIAN = 1;
    private static final int BIG_ENDIAN = 2;

    final int magic;
    final int version;
    final long communicatorId;
    final int worldSize;
    final int senderRank;
    final int targetRank;
    final int connectionIndex;
    final int byteOrder;

    Handshake(int magic, int version, long communicatorId, int worldSize, int senderRank, int targetRank,
              int connectionIndex, int byteOrder) {
        this.magic = magic;
        this.version = version;
        this.communicatorId = communicatorId;
        this.worldSize = worldSize;
        this.senderRank = senderRank;
        this.targetRank = targetRank;
        this.connectionIndex = connectionIndex;
        this.byteOrder = byteOrder;
    }

    static Handshake of(long communicatorId, int worldSize, int senderRank, int targetRank, int connectionIndex) {
        return new Handshake(MAGIC, VERSION, communicatorId, worldSize, senderRank, targetRank, connectionIndex,
                nativeOrderCode());
    }

    private static int nativeOrderCode() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? LITTLE_ENDIAN : BIG_ENDIAN;
    }

    void writeTo(ByteBuf out) {
        out.writeInt(magic).writeInt(version).writeLong(communicatorId).writeInt(worldSize).writeInt(senderRank)
                .writeInt(targetRank).writeInt(connectionIndex).writeInt(byteOrder);
    }

    /** Reads {@link #BYTES} bytes. */
    static Handshake readFrom(ByteBuf in) {
        return new Handshake(in.readInt(), in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readInt());
    }

    /** Why the acceptor (rank {@code localRank}) must refuse this handshake, or null to accept it. */
    String refusal(long localCommunicatorId, int localWorldSize, int localRank) {
        if (magic != MAGIC) {
            return "not a JCCL peer (bad magic 0x" + Integer.toHexString(magic) + ")";
        }
        if (version != VERSION) {
            return "protocol version " + version + " but this rank speaks " + VERSION + ": mixed JCCL versions in one job";
        }
        if (communicatorId != localCommunicatorId) {
            return "communicator id " + Long.toHexString(communicatorId) + " differs from "
                    + Long.toHexString(localCommunicatorId) + ": a rank from another job dialled this address";
        }
        if (worldSize != localWorldSize) {
            return "world size " + worldSize + " but this rank has " + localWorldSize;
        }
        if (senderRank < 0 || senderRank >= localWorldSize) {
            return "sender rank " + senderRank + " is outside [0, " + localWorldSize + ")";
        }
        if (targetRank != localRank) {
            return "rank " + senderRank + " dialled rank " + targetRank + " but reached rank " + localRank
                    + ": addresses mixed up in the rendezvous store";
        }
        if (connectionIndex < 0 || connectionIndex >= io.jccl.spi.Tags.MAX_LANES) {
            return "connection index " + connectionIndex + " is outside [0, " + io.jccl.spi.Tags.MAX_LANES + ")";
        }
        if (byteOrder != nativeOrderCode()) {
            return "byte order differs between rank " + senderRank + " and rank " + localRank
                    + ": mixed-endian jobs are not supported";
        }
        return null;
    }

    static void writeReply(ByteBuf out, String refusal) {
        if (refusal == null) {
            out.writeInt(STATUS_ACCEPTED).writeInt(0);
        } else {
            byte[] reason = refusal.getBytes(StandardCharsets.UTF_8);
            int length = Math.min(reason.length, MAX_REASON_BYTES);
            out.writeInt(STATUS_REFUSED).writeInt(length).writeBytes(reason, 0, length);
        }
    }
}
