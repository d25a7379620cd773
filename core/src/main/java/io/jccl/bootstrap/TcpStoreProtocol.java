package io.jccl.bootstrap;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Wire format of {@link TcpStore}: after a hello (magic, version) in each direction, the client
 * sends request frames and the server answers each with one response frame, in order. A frame is
 * {@code int lengthBytes} followed by that many bytes; all integers are big-endian.
 *
 * <pre>
 * request  = op:byte keyLength:int key:utf8 operand
 *            operand: SET, SET_IF_ABSENT: valueLength:int value | GET: timeoutNs:long | ADD: delta:long
 * response = status:byte body
 *            body: OK: - | VALUE: valueLength:int value | TIMEOUT: - | COUNTER: value:long | ERROR: utf8 message
 * </pre>
 */
final class TcpStoreProtocol {
    static final int MAGIC = 0x4A43534B; // "JCSK"
    static final int VERSION = 1;
    /** Frames above this are refused: the store carries addresses and small metadata, not bulk data. */
    static final int MAX_FRAME_BYTES = 64 << 20;

    static final byte OP_SET = 1;
    static final byte OP_SET_IF_ABSENT = 2;
    static final byte OP_GET = 3;
    static final byte OP_ADD = 4;

    static final byte STATUS_OK = 0;
    static final byte STATUS_VALUE = 1;
    static final byte STATUS_TIMEOUT = 2;
    static final byte STATUS_COUNTER = 3;
    static final byte STATUS_ERROR = 4;

    private TcpStoreProtocol() {
    }

    static void writeHello(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.flush();
    }

    /** Returns null when the peer spoke the protocol, otherwise what was wrong. */
    static String readHello(DataInputStream in) throws IOException {
        int magic = in.readInt();
        int version = in.readInt();
        if (magic != MAGIC) {
            return "it did not answer with the JCCL store greeting";
        }
        if (version != VERSION) {
            return "it speaks JCCL store protocol version " + version + ", this JCCL speaks " + VERSION
                    + " (use the same JCCL version on every rank)";
        }
        return null;
    }

    static byte[] readFrame(DataInputStream in) throws IOException {
        int lengthBytes = in.readInt();
        if (lengthBytes < 1 || lengthBytes > MAX_FRAME_BYTES) {
            throw new IOException("bad frame length " + lengthBytes + " (limit " + MAX_FRAME_BYTES + ")");
        }
        byte[] frame = new byte[lengthBytes];
        in.readFully(frame);
        return frame;
    }

    static void writeRequest(DataOutputStream out, byte op, String key, byte[] value, long operand)
            throws IOException {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        long lengthBytes = 1L + 4 + keyBytes.length + (value != null ? 4L + value.length : 8L);
        if (lengthBytes > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("store key plus value is " + lengthBytes
                    + " bytes, more than the TCP store's limit of " + MAX_FRAME_BYTES + " bytes");
        }
        out.writeInt((int) lengthBytes);
        out.writeByte(op);
        out.writeInt(keyBytes.length);
        out.write(keyBytes);
        if (value != null) {
            out.writeInt(value.length);
            out.write(value);
        } else {
            out.writeLong(operand);
        }
        out.flush();
    }

    static void writeStatus(DataOutputStream out, byte status) throws IOException {
        out.writeInt(1);
        out.writeByte(status);
        out.flush();
    }

    static void writeValue(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(1 + 4 + value.length);
        out.writeByte(STATUS_VALUE);
        out.writeInt(value.length);
        out.write(value);
        out.flush();
    }

    static void writeCounter(DataOutputStream out, long value) throws IOException {
        out.writeInt(1 + 8);
        out.writeByte(STATUS_COUNTER);
        out.writeLong(value);
        out.flush();
    }

    static void writeError(DataOutputStream out, String message) throws IOException {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        out.writeInt(1 + text.length);
        out.writeByte(STATUS_ERROR);
        out.write(text);
        out.flush();
    }
}
