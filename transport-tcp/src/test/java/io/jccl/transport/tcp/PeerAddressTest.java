package io.jccl.transport.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PeerAddressTest {
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldRoundTripWhenAddressIsIpv4OrIpv6() throws UnknownHostException {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            InetAddress address = InetAddress.getByName(host);
            InetSocketAddress decoded = PeerAddress.decode(PeerAddress.encode(address, 45123));
            assertEquals(new InetSocketAddress(address, 45123), decoded);
        }
        assertEquals("[0:0:0:0:0:0:0:1]:7", PeerAddress.text(InetAddress.getByName("::1"), 7));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldUseDefaultPortWhenOnlyHostIsGiven() {
        assertEquals(0, PeerAddress.parse("127.0.0.1", 0).getPort());
        assertEquals(0, PeerAddress.parse("::1", 0).getPort());
        assertEquals(9, PeerAddress.parse("[::1]:9", 0).getPort());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void shouldRejectWhenAddressIsMalformed() {
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("127.0.0.1", -1));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("127.0.0.1:70000", -1));
        assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("[::1", -1));
    }
}
