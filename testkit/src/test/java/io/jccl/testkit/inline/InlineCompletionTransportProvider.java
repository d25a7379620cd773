package io.jccl.testkit.inline;

import io.jccl.spi.Connection;
import io.jccl.spi.InboundFragment;
import io.jccl.spi.ProgressLoop;
import io.jccl.spi.Transport;
import io.jccl.spi.TransportContext;
import io.jccl.spi.TransportHandler;
import io.jccl.spi.TransportProvider;
import io.jccl.transport.loopback.LoopbackTransportProvider;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test transport {@code loopback-inline}: the loopback transport, except that every send larger
 * than the loopback's own copy limit copies its payload and reports the completion from inside
 * {@code postSend}, before returning {@code IN_FLIGHT}. A legal transport behaviour (a Netty write
 * that completes at once does the same) that makes the engine handle a re-entrant completion on
 * every step.
 */
public final class InlineCompletionTransportProvider implements TransportProvider {
    public static final String NAME = "loopback-inline";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transport open(TransportContext context, TransportHandler handler) {
        return new InlineTransport(new LoopbackTransportProvider().open(context, new ForwardingHandler(handler)),
                handler);
    }

    /** Token of the copies handed to the loopback transport; their completions are swallowed. */
    private static final long COPY_TOKEN = -1L;

    private static final class ForwardingHandler implements TransportHandler {
        private final TransportHandler engine;

        ForwardingHandler(TransportHandler engine) {
            this.engine = engine;
        }

        @Override
        public void onSendComplete(long token) {
            if (token != COPY_TOKEN) {
                engine.onSendComplete(token);
            }
        }

        @Override
        public void onFragment(InboundFragment fragment) {
            engine.onFragment(fragment);
        }

        @Override
        public void onWritable(int peerRank) {
            engine.onWritable(peerRank);
        }

        @Override
        public void onFailure(int peerRank, Throwable cause) {
            engine.onFailure(peerRank, cause);
        }
    }

    private static final class InlineTransport implements Transport {
        private final Transport delegate;
        private final TransportHandler engine;

        InlineTransport(Transport delegate, TransportHandler engine) {
            this.delegate = delegate;
            this.engine = engine;
        }

        @Override
        public byte[] localAddress() {
            return delegate.localAddress();
        }

        @Override
        public ProgressLoop loop() {
            return delegate.loop();
        }

        @Override
        public Connection connect(int peerRank, byte[] peerAddress) {
            Connection c = delegate.connect(peerRank, peerAddress);
            return new Connection() {
                @Override
                public int peerRank() {
                    return peerRank;
                }

                @Override
                public SendResult postSend(long tag, long descriptor, ByteBuffer memory, int offsetBytes,
                                           int lengthBytes, long token) {
                    ByteBuffer copy = ByteBuffer.allocateDirect(lengthBytes).order(ByteOrder.nativeOrder());
                    copy.put(0, memory, offsetBytes, lengthBytes);
                    SendResult r = c.postSend(tag, descriptor, copy, 0, lengthBytes, COPY_TOKEN);
                    if (r == SendResult.BACK_PRESSURED || r == SendResult.COMPLETE) {
                        return r;
                    }
                    engine.onSendComplete(token);
                    return SendResult.IN_FLIGHT;
                }
            };
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
