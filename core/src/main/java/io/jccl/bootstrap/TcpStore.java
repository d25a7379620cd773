package io.jccl.bootstrap;

import io.jccl.JcclException;
import io.jccl.JcclTimeoutException;
import io.jccl.PeerFailureException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The default rendezvous {@link Store}: a small key-value server hosted by rank 0
 * ({@link #host}) that the other ranks reach over TCP ({@link #connect}); compare PyTorch's
 * {@code TCPStore}.
 *
 * <p>The hosting instance serves its own calls from memory; a client sends each call over a
 * plain socket and waits for the answer. Thread-safe: concurrent calls on one client each use
 * their own connection (idle connections are reused), so a long {@code get} never delays another
 * thread's {@code set}.
 *
 * <p>Every call is bounded. A client waits at most its {@code timeoutNs} (given to
 * {@link #connect}) for connecting and for each answer, plus the {@code get} timeout itself; a
 * server that dies mid-call surfaces as a {@link PeerFailureException} naming rank 0, never a
 * hang. Counters are stored as decimal ASCII. {@link #close()} is idempotent; on the host it stops
 * the server and releases the port, so rank 0 must keep its store open until the others are done
 * with it.
 */
public final class TcpStore implements Store {
    private static final long MAX_BACKOFF_MS = 250;
    /**
     * Once the store has answered, a refused connection means rank 0 is gone rather than not yet
     * started, so later connects retry only this long before reporting the failure.
     */
    private static final long RECONNECT_WINDOW_NS = TimeUnit.SECONDS.toNanos(1);

    private final String hostName;
    private final int port;
    private final long timeoutNs;
    private final TcpStoreServer server;
    private final InMemoryStore local;
    private final ConcurrentLinkedDeque<ClientConnection> idle = new ConcurrentLinkedDeque<>();
    private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpStore(String hostName, int port, long timeoutNs, TcpStoreServer server, InMemoryStore local) {
        this.hostName = hostName;
        this.port = port;
        this.timeoutNs = timeoutNs;
        this.server = server;
        this.local = local;
    }

    /**
     * Starts a store server on {@code bindAddress:port} (port 0 picks a free port, see
     * {@link #port()}) and returns the hosting rank's handle to it.
     *
     * @throws JcclException when the port is taken or the address is not this host's
     */
    public static TcpStore host(String bindAddress, int port) {
        checkPort(port, true);
        InMemoryStore state = new InMemoryStore();
        TcpStoreServer server = new TcpStoreServer(state, bindAddress, port);
        return new TcpStore(bindAddress, server.port(), 0, server, state);
    }

    /**
     * Connects to the store at {@code host:port}, retrying until {@code timeoutNs} has passed
     * (rank 0 may start later than this rank).
     *
     * @param timeoutNs bound on connecting and on each later answer (a {@code get} waits its own
     *                  timeout on top)
     * @throws JcclTimeoutException when no store answered in time, naming host, port and the fix
     */
    public static TcpStore connect(String host, int port, long timeoutNs) {
        checkPort(port, false);
        if (timeoutNs <= 0) {
            throw new IllegalArgumentException("timeoutNs must be > 0, got " + timeoutNs);
        }
        TcpStore store = new TcpStore(host, port, timeoutNs, null, null);
        // Connect eagerly so a wrong address fails here, at startup, not at the first call.
        store.idle.push(store.openConnection(true));
        return store;
    }

    /** Rank 0 hosts the store on {@code masterAddr:masterPort}; every other rank connects to it. */
    public static TcpStore forRank(int rank, String masterAddr, int masterPort, long timeoutNs) {
        return rank == 0 ? host(masterAddr, masterPort) : connect(masterAddr, masterPort, timeoutNs);
    }

    /** The port the store listens on (the bound port when hosting on port 0). */
    public int port() {
        return port;
    }

    /** {@code host:port} of the store, for messages. */
    public String endpoint() {
        return hostName + ":" + port;
    }

    /** Whether this instance hosts the server. */
    public boolean isHost() {
        return server != null;
    }

    @Override
    public void set(String key, byte[] value) {
        StoreSupport.checkKey(key);
        StoreSupport.checkValue(value);
        if (local != null) {
            local.set(key, value);
            return;
        }
        call("set", key, timeoutNs, (in, out) -> {
            TcpStoreProtocol.writeRequest(out, TcpStoreProtocol.OP_SET, key, value, 0);
            expect(key, TcpStoreProtocol.readFrame(in), TcpStoreProtocol.STATUS_OK);
            return null;
        });
    }

    @Override
    public byte[] setIfAbsent(String key, byte[] value) {
        StoreSupport.checkKey(key);
        StoreSupport.checkValue(value);
        if (local != null) {
            return local.setIfAbsent(key, value);
        }
        return call("setIfAbsent", key, timeoutNs, (in, out) -> {
            TcpStoreProtocol.writeRequest(out, TcpStoreProtocol.OP_SET_IF_ABSENT, key, value, 0);
            ByteBuffer response = ByteBuffer.wrap(TcpStoreProtocol.readFrame(in));
            byte status = status(key, response);
            if (status == TcpStoreProtocol.STATUS_OK) {
                return null;
            }
            expect(key, status, TcpStoreProtocol.STATUS_VALUE);
            return value(response);
        });
    }

    @Override
    public byte[] get(String key, long timeoutNs) {
        StoreSupport.checkKey(key);
        StoreSupport.checkTimeout(timeoutNs);
        if (local != null) {
            return local.get(key, timeoutNs);
        }
        long callTimeoutNs = Math.min(Long.MAX_VALUE / 4, timeoutNs) + this.timeoutNs;
        byte[] value = call("get", key, callTimeoutNs, (in, out) -> {
            TcpStoreProtocol.writeRequest(out, TcpStoreProtocol.OP_GET, key, null, timeoutNs);
            ByteBuffer response = ByteBuffer.wrap(TcpStoreProtocol.readFrame(in));
            byte status = status(key, response);
            if (status == TcpStoreProtocol.STATUS_TIMEOUT) {
                return null;
            }
            expect(key, status, TcpStoreProtocol.STATUS_VALUE);
            return value(response);
        });
        if (value == null) {
            throw new JcclTimeoutException("Store key '" + key + "' was not set within "
                    + StoreSupport.describeNs(timeoutNs) + " (TCP store at " + endpoint()
                    + "): the rank that should set it did not get there");
        }
        return value;
    }

    @Override
    public long add(String key, long delta) {
        StoreSupport.checkKey(key);
        if (local != null) {
            return local.add(key, delta);
        }
        return call("add", key, timeoutNs, (in, out) -> {
            TcpStoreProtocol.writeRequest(out, TcpStoreProtocol.OP_ADD, key, null, delta);
            ByteBuffer response = ByteBuffer.wrap(TcpStoreProtocol.readFrame(in));
            expect(key, status(key, response), TcpStoreProtocol.STATUS_COUNTER);
            return response.getLong();
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ClientConnection c : open) {
            c.close();
        }
        idle.clear();
        if (server != null) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "TcpStore[" + endpoint() + (server != null ? ", host" : "") + "]";
    }

    private interface Exchange<T> {
        T run(DataInputStream in, DataOutputStream out) throws IOException;
    }

    private <T> T call(String operation, String key, long callTimeoutNs, Exchange<T> exchange) {
        checkOpen();
        ClientConnection connection = idle.poll();
        if (connection == null) {
            connection = openConnection(false);
        }
        boolean reusable = false;
        try {
            connection.socket.setSoTimeout(toSoTimeoutMs(callTimeoutNs));
            T result = exchange.run(connection.in, connection.out);
            reusable = true;
            return result;
        } catch (ServerError e) {
            reusable = !e.fatal;
            if (e.storeClosed) {
                throw new PeerFailureException(0, e.getMessage() + " (TCP store at " + endpoint() + ")", null);
            }
            throw new JcclException(e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new JcclTimeoutException("The JCCL TCP store at " + endpoint() + " did not answer " + operation
                    + "('" + key + "') within " + StoreSupport.describeNs(callTimeoutNs)
                    + ": rank 0 (which hosts it) may be hung or its host unreachable");
        } catch (IOException e) {
            if (closed) {
                throw new JcclException("The TCP store client for " + endpoint() + " was closed during "
                        + operation + "('" + key + "')", e);
            }
            throw new PeerFailureException(0, "Lost the connection to the JCCL TCP store at " + endpoint()
                    + " during " + operation + "('" + key + "') (" + e + "): rank 0, which hosts the store,"
                    + " probably exited or crashed; look at rank 0's output", e);
        } finally {
            if (reusable && !closed) {
                idle.push(connection);
            } else {
                connection.close();
                open.remove(connection);
            }
        }
    }

    private ClientConnection openConnection(boolean first) {
        long windowNs = first ? timeoutNs : Math.min(timeoutNs, RECONNECT_WINDOW_NS);
        long deadline = System.nanoTime() + windowNs;
        long backoffMs = 10;
        IOException last = null;
        while (true) {
            checkOpen();
            long remainingNs = deadline - System.nanoTime();
            if (remainingNs <= 0 && !first) {
                throw new PeerFailureException(0, "The JCCL TCP store at " + endpoint() + " answered before but now"
                        + " refuses connections (last error: " + last + "): rank 0, which hosts the store, probably"
                        + " exited or crashed; look at rank 0's output", last);
            }
            if (remainingNs <= 0) {
                throw new JcclTimeoutException("Could not reach the JCCL TCP store at " + endpoint() + " within "
                        + StoreSupport.describeNs(timeoutNs) + " (last error: " + last
                        + "): is rank 0 running? are JCCL_MASTER_ADDR/JCCL_MASTER_PORT right?");
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(hostName, port),
                        (int) Math.max(1, Math.min(2000, TimeUnit.NANOSECONDS.toMillis(remainingNs))));
                socket.setTcpNoDelay(true);
                socket.setKeepAlive(true);
                return handshake(socket, remainingNs);
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(backoffMs, TimeUnit.NANOSECONDS.toMillis(remainingNs))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JcclException("Interrupted while connecting to the JCCL TCP store at " + endpoint(), e);
            }
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    private ClientConnection handshake(Socket socket, long remainingNs) throws IOException {
        ClientConnection connection = new ClientConnection(socket);
        String problem;
        try {
            socket.setSoTimeout(toSoTimeoutMs(Math.min(remainingNs, TimeUnit.SECONDS.toNanos(10))));
            TcpStoreProtocol.writeHello(connection.out);
            problem = TcpStoreProtocol.readHello(connection.in);
        } catch (EOFException | SocketTimeoutException e) {
            problem = "it closed the connection or stayed silent instead of greeting (" + e + ")";
        }
        if (problem != null) {
            connection.close();
            throw new JcclException("Something answers at " + endpoint() + " but it is not a JCCL TCP store: "
                    + problem + ". Check JCCL_MASTER_PORT: it must be the port rank 0 hosts the store on");
        }
        open.add(connection);
        if (closed) {
            connection.close();
            checkOpen();
        }
        return connection;
    }

    private static byte status(String key, ByteBuffer response) throws ServerError {
        byte status = response.get();
        if (status == TcpStoreProtocol.STATUS_ERROR) {
            byte[] text = new byte[response.remaining()];
            response.get(text);
            String message = new String(text, StandardCharsets.UTF_8);
            // "closed" and "malformed" end the connection on the server side; others leave it usable.
            boolean storeClosed = message.contains("was closed");
            throw new ServerError(message, storeClosed || message.contains("malformed"), storeClosed);
        }
        return status;
    }

    private static void expect(String key, byte[] frame, byte expected) throws ServerError {
        expect(key, status(key, ByteBuffer.wrap(frame)), expected);
    }

    private static void expect(String key, byte status, byte expected) throws ServerError {
        if (status != expected) {
            throw new ServerError("The JCCL TCP store answered status " + status + " where " + expected
                    + " was expected for key '" + key + "': is every rank running the same JCCL version?", true, false);
        }
    }

    private static byte[] value(ByteBuffer response) {
        byte[] value = new byte[response.getInt()];
        response.get(value);
        return value;
    }

    private static int toSoTimeoutMs(long ns) {
        // 0 would mean "wait forever" to a socket.
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(ns)));
    }

    private static void checkPort(int port, boolean allowZero) {
        if (port < (allowZero ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException("port must be in [" + (allowZero ? 0 : 1) + ", 65535], got " + port);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new JcclException("The TCP store " + this + " is closed");
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already failing; the close error adds nothing.
        }
    }

    /**
     * An error the server reported; {@code fatal} when the connection cannot be reused,
     * {@code storeClosed} when the hosting rank shut the store down under us.
     */
    private static final class ServerError extends IOException {
        final boolean fatal;
        final boolean storeClosed;

        ServerError(String message, boolean fatal, boolean storeClosed) {
            super(message);
            this.fatal = fatal;
            this.storeClosed = storeClosed;
        }
    }

    private static final class ClientConnection {
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;

        ClientConnection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        }

        void close() {
            closeQuietly(socket);
        }
    }
}
