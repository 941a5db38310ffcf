package org.crustyclaw.credproxy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection, TCP or Unix socket, with buffered streams that note when bytes last
 * moved, so that the {@link Watchdog} can end idle and slow ones. A Unix channel gets
 * streams of its own: {@code Channels.newInputStream} serialises reads and writes on one
 * lock, which would stall a tunnel that reads and writes on two threads.
 */
final class Conn implements AutoCloseable {

    private final AutoCloseable resource;
    private final Runnable shutdownInput;
    private final Runnable shutdownOutput;
    final InputStream in;
    final OutputStream out;
    volatile long lastActivity = System.nanoTime();
    volatile long headDeadline;
    volatile boolean headPending;
    volatile boolean timedOut;
    private volatile boolean closed;

    private Conn(AutoCloseable resource, InputStream rawIn, OutputStream rawOut, Runnable shutdownInput,
            Runnable shutdownOutput) {
        this.resource = resource;
        this.shutdownInput = shutdownInput;
        this.shutdownOutput = shutdownOutput;
        this.in = new BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = rawIn.read(b, off, len);
                lastActivity = System.nanoTime();
                return n;
            }
        }, 65536);
        this.out = new BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                rawOut.write(b, off, len);
                lastActivity = System.nanoTime();
            }

            @Override
            public void flush() throws IOException {
                rawOut.flush();
            }
        }, 65536);
    }

    static Conn of(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return new Conn(socket, socket.getInputStream(), socket.getOutputStream(), () -> {
            try {
                socket.shutdownInput();
            } catch (IOException e) {
                // already shut: reading ends either way
            }
        }, () -> {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                // already shut
            }
        });
    }

    static Conn of(SocketChannel channel) {
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new UnsupportedOperationException("buffered above");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
        OutputStream out = new OutputStream() {
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
        };
        return new Conn(channel, in, out, () -> {
            try {
                channel.shutdownInput();
            } catch (IOException e) {
                // already shut
            }
        }, () -> {
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                // already shut
            }
        });
    }

    /** Ends reading: a blocked read returns end of stream, so the reader can still answer. */
    void shutdownInput() {
        shutdownInput.run();
    }

    void shutdownOutput() {
        try {
            out.flush();
        } catch (IOException e) {
            // the peer is gone; shutting down is all that is left
        }
        shutdownOutput.run();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        try {
            resource.close();
        } catch (Exception e) {
            // closing is best effort; the descriptor is released either way
        }
    }
}
