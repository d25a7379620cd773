package io.jccl.bootstrap;

import io.jccl.JcclException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server half of {@link TcpStore}: one daemon thread accepts, one daemon thread per client
 * connection serves that connection's requests in order. A {@code get} waits on the connection's
 * own thread, so it never holds up other clients. The state is an {@link InMemoryStore}, which the
 * hosting rank also uses directly.
 */
final class TcpStoreServer implements AutoCloseable {
    /** A connection that has not greeted us within this time is dropped (a port scanner, a stray HTTP client). */
    private static final int HELLO_TIMEOUT_MS = 10_000;

    private final InMemoryStore state;
    private final ServerSocket serverSocket;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final Thread acceptThread;
    private volatile boolean closed;

    TcpStoreServer(InMemoryStore state, String bindAddress, int port) {
        this.state = state;
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            // A previous job's connections in TIME_WAIT must not keep the port from being reused.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindAddress, port), 128);
        } catch (IOException e) {
            closeQuietly(socket);
            String hint = e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")
                    ? "another process (a previous job?) holds the port: pick another JCCL_MASTER_PORT or stop that process"
                    : "is " + bindAddress + " an address of this host? Rank 0 hosts the store on JCCL_MASTER_ADDR";
            throw new JcclException("Cannot host the JCCL TCP store on " + bindAddress + ":" + port + " ("
                    + e.getMessage() + "): " + hint, e);
        }
        this.serverSocket = socket;
        this.acceptThread = new Thread(this::acceptLoop, "jccl-store-accept-" + socket.getLocalPort());
        acceptThread.setDaemon(true);
        acceptThread.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("JCCL TCP store on port " + port() + " stopped accepting: " + e);
                }
                return;
            }
            connections.add(socket);
            if (closed) {
                closeQuietly(socket);
                connections.remove(socket);
                return;
            }
            Thread thread = new Thread(() -> serve(socket),
                    "jccl-store-conn-" + port() + "-" + connectionCount.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            socket.setSoTimeout(HELLO_TIMEOUT_MS);
            if (TcpStoreProtocol.readHello(in) != null) {
                return;
            }
            TcpStoreProtocol.writeHello(out);
            // Clients may sit idle between calls for as long as the job runs; close() ends the wait.
            socket.setSoTimeout(0);
            while (!closed) {
                byte[] frame = TcpStoreProtocol.readFrame(in);
                // close() takes the same lock, so a request being served still gets its answer:
                // the last call of a rank (its 'ready' count) must not lose the reply to a race with
                // rank 0 shutting the store down.
                synchronized (socket) {
                    if (!handle(ByteBuffer.wrap(frame), out)) {
                        return;
                    }
                }
            }
        } catch (SocketTimeoutException | java.io.EOFException e) {
            // Client went away or never greeted: nothing to report.
        } catch (IOException e) {
            if (!closed) {
                System.err.println("JCCL TCP store on port " + port() + ": dropped a client connection: " + e);
            }
        } finally {
            connections.remove(socket);
        }
    }

    /** Serves one request; returns false when the connection must end. */
    private boolean handle(ByteBuffer request, DataOutputStream out) throws IOException {
        byte op;
        String key;
        try {
            op = request.get();
            int keyLength = request.getInt();
            if (keyLength < 1 || keyLength > request.remaining()) {
                throw new BufferUnderflowException();
            }
            byte[] keyBytes = new byte[keyLength];
            request.get(keyBytes);
            key = new String(keyBytes, StandardCharsets.UTF_8);
        } catch (BufferUnderflowException e) {
            TcpStoreProtocol.writeError(out, "malformed request");
            return false;
        }
        try {
            switch (op) {
                case TcpStoreProtocol.OP_SET:
                    state.set(key, readValue(request));
                    TcpStoreProtocol.writeStatus(out, TcpStoreProtocol.STATUS_OK);
                    return true;
                case TcpStoreProtocol.OP_SET_IF_ABSENT: {
                    byte[] existing = state.setIfAbsent(key, readValue(request));
                    if (existing == null) {
                        TcpStoreProtocol.writeStatus(out, TcpStoreProtocol.STATUS_OK);
                    } else {
                        TcpStoreProtocol.writeValue(out, existing);
                    }
                    return true;
                }
                case TcpStoreProtocol.OP_GET: {
                    byte[] value = state.await(key, Math.max(0, request.getLong()));
                    if (value == null) {
                        TcpStoreProtocol.writeStatus(out, TcpStoreProtocol.STATUS_TIMEOUT);
                    } else {
                        TcpStoreProtocol.writeValue(out, value);
                    }
                    return true;
                }
                case TcpStoreProtocol.OP_ADD:
                    TcpStoreProtocol.writeCounter(out, state.add(key, request.getLong()));
                    return true;
                default:
                    TcpStoreProtocol.writeError(out, "unknown store operation " + op);
                    return false;
            }
        } catch (BufferUnderflowException e) {
            TcpStoreProtocol.writeError(out, "malformed request for key '" + key + "'");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (JcclException e) {
            if (closed) {
                TcpStoreProtocol.writeError(out, "the JCCL TCP store on port " + port()
                        + " was closed while serving key '" + key + "': the rank hosting it (rank 0) finished or failed first");
                return false;
            }
            TcpStoreProtocol.writeError(out, e.getMessage());
            return true;
        }
    }

    private static byte[] readValue(ByteBuffer request) {
        int length = request.getInt();
        if (length < 0 || length > request.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] value = new byte[length];
        request.get(value);
        return value;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Wake the waiting gets first so they can still tell their clients why.
        state.close();
        closeQuietly(serverSocket);
        for (Socket socket : connections) {
            synchronized (socket) {
                closeQuietly(socket);
            }
        }
        try {
            acceptThread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing on shutdown: nothing useful to do with the error.
        }
    }
}
