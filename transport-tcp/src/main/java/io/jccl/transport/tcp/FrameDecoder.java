package io.jccl.transport.tcp;

import io.jccl.spi.Placement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.lang.ref.WeakReference;

/**
 * Cuts the inbound byte stream of one accepted connection into messages: frames of
 * {@code [tag 8][descriptor 8][length 4]} plus payload. Each read's part of a payload goes to the
 * engine at once as a reusable {@link TcpInboundFragment} over the read buffer (no copy, no
 * allocation); only a header that straddles two reads is copied, into {@link #header}. The rest of
 * a large payload may instead be read straight into its destination ({@link #placementBuffer()}).
 * Event-loop thread only.
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {
    static final int HEADER_BYTES = 20;
    /**
     * Payloads with at least this much still to come are read straight into their destination when
     * the engine allows it: below, the extra read for the next header costs more than the copy saved.
     */
    static final int PLACE_MIN_BYTES = 32 * 1024;

    private final int peerRank;
    private final int connectionIndex;
    private final TransportEvents events;
    private final String peerDescription;
    private final ByteBuf header = Unpooled.buffer(HEADER_BYTES, HEADER_BYTES);
    private final TcpInboundFragment fragment;
    private final Placement placement = new Placement();
    private WeakReference<DestinationBuf> lastDestination;
    private boolean inPayload;
    /** Whether the last message was large enough to be placed: then reads stop at message boundaries ({@link #readBoundBytes()}). */
    private boolean streamingLarge;
    /** Whether the current message's payload has been read into its destination so far. */
    private boolean placingMessage;
    private long tag;
    private long descriptor;
    private int messageBytes;
    private int offsetBytes;

    FrameDecoder(int peerRank, int connectionIndex, TransportEvents events, String peerDescription) {
        this.peerRank = peerRank;
        this.connectionIndex = connectionIndex;
        this.events = events;
        this.peerDescription = peerDescription;
        this.fragment = new TcpInboundFragment(peerRank);
    }

    /**
     * Puts a decoder for {@code peerRank}'s connection {@code connectionIndex} in place of {@code handshake},
     * the handler that read the connection's handshake, and hands it {@code rest}: the bytes that
     * followed the handshake in the same read (released when there are none). Event-loop thread only.
     */
    static void takeOver(ChannelHandlerContext ctx, ChannelHandler handshake, int peerRank, int connectionIndex,
                         TransportEvents events, String peerDescription, ByteBuf rest) {
        FrameDecoder frames = new FrameDecoder(peerRank, connectionIndex, events, peerDescription);
        ctx.pipeline().replace(handshake, "frames", frames);
        if (ctx.channel().config().getRecvByteBufAllocator() instanceof ReadBuffers) {
            ((ReadBuffers) ctx.channel().config().getRecvByteBufAllocator()).attach(frames);
        }
        if (rest.isReadable()) {
            ctx.channel().pipeline().fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    /**
     * Where the next socket read should go: the destination of the payload being read, when at
     * least {@link #PLACE_MIN_BYTES} of it are still to come or its earlier bytes were placed too
     * (a read that ended short of the payload's end), and the engine has a placement for it
     * (see {@link io.jccl.spi.Placement}); null for an ordinary read buffer. Called by {@link
     * ReadBuffers} just before each read; the read's bytes then come back through
     * {@link #channelRead} in the returned buffer.
     */
    ByteBuf placementBuffer() {
        if (!inPayload || (messageBytes - offsetBytes < PLACE_MIN_BYTES && !placingMessage)
                || !events.place(peerRank, tag, descriptor, messageBytes, offsetBytes, placement)) {
            return null;
        }
        DestinationBuf d = DestinationBuf.arm(lastDestination, placement.memory(), placement.offsetBytes(),
                placement.lengthBytes());
        placement.clear();
        if (lastDestination == null || lastDestination.get() != d) {
            lastDestination = new WeakReference<>(d);
        }
        return d;
    }

    /**
     * How many bytes the next ordinary socket read may take, 0 for no bound. While large messages
     * stream in, reads stop at message boundaries: the header alone ({@link #HEADER_BYTES}), then the
     * payload up to its end. Otherwise a read would pull the next header and as much of its payload
     * as the socket holds into a read buffer, and that part would be copied where the engine could
     * have placed it: lanes share a socket, so the copying (allgather) half of one ring lane
     * interleaves with the reducing half of another, whose reads are ordinary. Stopping costs one
     * extra small read per large message, microseconds against the hundreds the payload takes.
     * After a message too small to place, reads are unbounded again, so many small frames still
     * come in one read.
     */
    int readBoundBytes() {
        if (!streamingLarge) {
            return 0;
        }
        return inPayload ? messageBytes - offsetBytes : HEADER_BYTES - header.readableBytes();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (in instanceof DestinationBuf) {
            readPlaced(in);
            return;
        }
        try {
            while (in.isReadable()) {
                if (inPayload) {
                    readPayload(in);
                } else if (!readHeader(ctx, in)) {
                    return;
                }
            }
        } finally {
            in.release();
        }
    }

    /** Returns false when the stream is corrupt (the channel is then closed). */
    private boolean readHeader(ChannelHandlerContext ctx, ByteBuf in) {
        ByteBuf source;
        if (!header.isReadable() && in.readableBytes() >= HEADER_BYTES) {
            source = in;
        } else {
            header.writeBytes(in, Math.min(header.writableBytes(), in.readableBytes()));
            if (header.isWritable()) {
                return true; // the rest of the header comes with the next read
            }
            source = header;
        }
        tag = source.readLong();
        descriptor = source.readLong();
        messageBytes = source.readInt();
        header.clear();
        if (messageBytes < 0) {
            events.fail(peerRank, "corrupt stream from rank " + peerRank + " at " + peerDescription
                    + ": negative message length " + messageBytes, null);
            ctx.close();
            return false;
        }
        offsetBytes = 0;
        streamingLarge = messageBytes >= PLACE_MIN_BYTES;
        placingMessage = false;
        if (messageBytes == 0) {
            emit(in, in.readerIndex(), 0);
        } else {
            inPayload = true;
        }
        return true;
    }

    /** The bytes are in their destination already: report them, nothing to copy. */
    private void readPlaced(ByteBuf in) {
        try {
            int n = in.readableBytes();
            try {
                events.fragment(fragment.openPlaced(tag, descriptor, messageBytes, offsetBytes, in, in.readerIndex(),
                        n));
            } finally {
                fragment.close();
            }
            offsetBytes += n;
            placingMessage = true;
            if (offsetBytes == messageBytes) {
                inPayload = false;
            }
        } finally {
            in.release();
        }
    }

    private void readPayload(ByteBuf in) {
        int n = Math.min(messageBytes - offsetBytes, in.readableBytes());
        int at = in.readerIndex();
        in.skipBytes(n);
        emit(in, at, n);
        offsetBytes += n;
        if (offsetBytes == messageBytes) {
            inPayload = false;
        }
    }

    private void emit(ByteBuf in, int index, int length) {
        try {
            events.fragment(fragment.open(tag, descriptor, messageBytes, offsetBytes, in, index, length));
        } finally {
            fragment.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.fail(peerRank, "connection from rank " + peerRank + " at " + peerDescription + " (connection "
                + connectionIndex + ") closed" + (inPayload ? " in the middle of a message" : "")
                + ": is the process alive?", null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        events.fail(peerRank, "connection from rank " + peerRank + " at " + peerDescription + " (connection "
                + connectionIndex + ") failed: " + cause + ": is the process alive?", cause);
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        header.release();
    }
}
