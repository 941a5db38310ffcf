package org.crustyclaw.launcher.protocol;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The admin socket's wire format, shared by the CLI and the daemon: a frame is one type
 * byte, a big-endian 32-bit length and that many payload bytes.
 *
 * <p>Client to daemon: {@link #COMMAND} (the arguments, UTF-8, separated by NUL; the first
 * is the Gogo command such as {@code config:show}), {@link #WORKDIR} (once, first), {@link #LINE} (a Gogo command line typed
 * in the shell), {@link #STDIN} and {@link #STDIN_EOF}. Daemon to client: {@link #STDOUT},
 * {@link #STDERR} and, last for each request, {@link #EXIT} with a 4-byte exit code.
 * A connection carries any number of requests, one after the other.
 */
public final class Frames {

    public static final byte COMMAND = 'C';
    public static final byte LINE = 'L';
    public static final byte STDIN = 'I';
    public static final byte STDIN_EOF = 'D';
    /** The client's working directory, sent first, so relative paths mean what the user meant. */
    public static final byte WORKDIR = 'W';
    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'E';
    public static final byte EXIT = 'X';

    /** Larger frames are refused: a request is a command line, output comes in chunks. */
    public static final int MAX_PAYLOAD = 1 << 20;

    private Frames() {}

    /**
     * Streams over a blocking socket channel that read and write independently. (The JDK's
     * {@code Channels.newInputStream}/{@code newOutputStream} share one lock, so a blocked read
     * would stall every write: a command could not print while the connection waits for stdin.)
     */
    public static DataInputStream input(SocketChannel channel) {
        return new DataInputStream(new java.io.BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        }));
    }

    public static DataOutputStream output(SocketChannel channel) {
        return new DataOutputStream(new java.io.BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }, 8192));
    }

    /** One frame as read. */
    public record Frame(byte type, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int exitCode() {
            if (payload.length != 4) {
                throw new IllegalStateException("exit frame of " + payload.length + " bytes, expected 4");
            }
            return (payload[0] & 0xff) << 24 | (payload[1] & 0xff) << 16 | (payload[2] & 0xff) << 8 | payload[3] & 0xff;
        }

        /** The arguments of a {@link #COMMAND} frame. */
        public List<String> arguments() {
            return text().isEmpty() ? List.of() : Arrays.asList(text().split("\0", -1));
        }
    }

    /**
     * Writes one frame; output and input longer than {@link #MAX_PAYLOAD} go as several frames
     * (their bytes are a stream, so a reader joins them), so no reply ever exceeds what a reader
     * accepts. Any other frame that long is refused here, before it is sent.
     */
    public static void write(DataOutputStream out, byte type, byte[] payload, int offset, int length) throws IOException {
        if (length > MAX_PAYLOAD && type != STDOUT && type != STDERR && type != STDIN) {
            throw new IllegalArgumentException("a " + (char) type + " frame of " + length + " bytes is longer than the "
                    + MAX_PAYLOAD + " a reader accepts");
        }
        synchronized (out) {
            int at = offset;
            int left = length;
            do {
                int n = Math.min(left, MAX_PAYLOAD);
                out.writeByte(type);
                out.writeInt(n);
                out.write(payload, at, n);
                at += n;
                left -= n;
            } while (left > 0);
            out.flush();
        }
    }

    public static void write(DataOutputStream out, byte type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(out, type, bytes, 0, bytes.length);
    }

    public static void command(DataOutputStream out, List<String> arguments) throws IOException {
        for (String a : arguments) {
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argument contains a NUL character: " + a.replace('\0', '?'));
            }
        }
        write(out, COMMAND, String.join("\0", arguments));
    }

    public static void exit(DataOutputStream out, int code) throws IOException {
        write(out, EXIT, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code}, 0, 4);
    }

    /** The next frame, or {@code null} at a clean end of stream between frames. */
    public static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("connection closed inside a frame header");
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("frame of " + length + " bytes refused; at most " + MAX_PAYLOAD);
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame((byte) type, payload);
    }
}
