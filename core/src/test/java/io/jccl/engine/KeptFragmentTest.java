package io.jccl.engine;

import io.jccl.spi.InboundFragment;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's kept copies of small early fragments: the copy and header are right, references
 * count, use after the last release fails loudly, copies are recycled, and large fragments are left
 * to the transport's own retain.
 */
class KeptFragmentTest {

    /** A transport's fragment, valid only while the test says so; counts its retains. */
    private static final class Window implements InboundFragment {
        final ByteBuffer bytes;
        int retains;

        Window(int length) {
            bytes = ByteBuffer.allocateDirect(length + 3).order(ByteOrder.nativeOrder());
            for (int i = 0; i < length + 3; i++) {
                bytes.put(i, (byte) (i * 7 + 1));
            }
            bytes.position(3); // the fragment starts inside its buffer
        }

        @Override
        public int peerRank() {
            return 2;
        }

        @Override
        public long tag() {
            return 99L;
        }

        @Override
        public long descriptor() {
            return 5L;
        }

        @Override
        public int messageBytes() {
            return 10_000;
        }

        @Override
        public int offsetBytes() {
            return 64;
        }

        @Override
        public ByteBuffer data() {
            return bytes;
        }

        @Override
        public InboundFragment retain() {
            retains++;
            return this;
        }

        @Override
        public void release() {
        }
    }

    @Test
    void shouldCopySmallFragmentsCountReferencesAndRecycleTheCopy() {
        KeptFragment.Pool pool = new KeptFragment.Pool();
        Window w = new Window(100);
        InboundFragment kept = pool.keep(w);
        assertEquals(0, w.retains, "a small fragment is copied, not retained");
        w.bytes.put(3, (byte) 0); // the transport reuses its buffer: the copy must not change
        ByteBuffer d = kept.data();
        assertEquals(100, d.remaining());
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) ((i + 3) * 7 + 1), d.get(d.position() + i), "byte " + i);
        }
        assertEquals(2, kept.peerRank());
        assertEquals(99L, kept.tag());
        assertEquals(5L, kept.descriptor());
        assertEquals(10_000, kept.messageBytes());
        assertEquals(64, kept.offsetBytes());

        assertSame(kept, kept.retain());
        kept.release();
        assertEquals(100, kept.data().remaining(), "one reference is still held");
        kept.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, kept::data);
        assertTrue(e.getMessage().contains("kept fragment used after its release"), e.getMessage());
        assertThrows(IllegalStateException.class, kept::tag);
        assertThrows(IllegalStateException.class, kept::release);

        InboundFragment again = pool.keep(new Window(7));
        assertSame(kept, again, "released copies are reused");
        assertEquals(7, again.data().remaining());
        assertEquals(99L, again.tag());
        again.release();
    }

    @Test
    void shouldLeaveLargeFragmentsToTheTransportsRetain() {
        KeptFragment.Pool pool = new KeptFragment.Pool();
        Window w = new Window(KeptFragment.MAX_BYTES + 1);
        assertSame(w, pool.keep(w));
        assertEquals(1, w.retains);
    }
}
