package io.jccl.transport.tcp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The published address of a TCP endpoint: UTF-8 text {@code host:port} ({@code [v6]:port}), so
 * that it reads well in the rendezvous store and in error messages.
 */
final class PeerAddress {
    private PeerAddress() {
    }

    static byte[] encode(InetAddress host, int port) {
        return text(host, port).getBytes(StandardCharsets.UTF_8);
    }

    static String text(InetAddress host, int port) {
        String h = host.getHostAddress();
        return (host instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
    }

    /** Parses {@code host:port}, {@code [v6]:port} or, when {@code defaultPort >= 0}, a bare host. */
    static InetSocketAddress parse(String text, int defaultPort) {
        String t = text.trim();
        String host;
        int port = defaultPort;
        int colon = t.lastIndexOf(':');
        boolean bracketed = t.startsWith("[");
        if (bracketed) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad TCP address '" + text + "': missing ']'");
            }
            host = t.substring(1, close);
            if (close + 1 < t.length()) {
                port = parsePort(text, t.substring(close + 1).replaceFirst("^:", ""));
            }
        } else if (colon >= 0 && t.indexOf(':') == colon) {
            host = t.substring(0, colon);
            port = parsePort(text, t.substring(colon + 1));
        } else {
            host = t; // a bare host name, IPv4 or unbracketed IPv6 literal
        }
        if (port < 0) {
            throw new IllegalArgumentException("bad TCP address '" + text + "': expected host:port");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad TCP address '" + text + "': unknown host " + host, e);
        }
    }

    static InetSocketAddress decode(byte[] address) {
        if (address == null || address.length == 0) {
            throw new IllegalArgumentException("empty TCP address");
        }
        return parse(new String(address, StandardCharsets.UTF_8), -1);
    }

    private static int parsePort(String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad TCP address '" + text + "': port must be in [0, 65535]");
        }
    }
}
