package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/**
 * The byte stream to the guest agent: a Unix socket (QEMU's chardev for virtio-serial or
 * the serial port) or the standard input and output of the VMM process (Firecracker's
 * serial console). Lines of guest/PROTOCOL.md go both ways.
 */
interface AgentLink extends AutoCloseable {

    InputStream input() throws IOException;

    /** Writes all of {@code bytes}; callers serialise whole requests. */
    void write(byte[] bytes) throws IOException;

    /** Releases the stream. Never throws. */
    @Override
    void close();

    static AgentLink socket(SocketChannel channel) {
        return new AgentLink() {
            @Override
            public InputStream input() {
                return Channels.newInputStream(channel);
            }

            @Override
            public void write(byte[] bytes) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public void close() {
                Host.closeQuietly(channel);
            }
        };
    }

    /** The guest's serial port as the VMM process's stdin (host to guest) and stdout (guest to host). */
    static AgentLink stdio(Process process) {
        OutputStream toGuest = process.getOutputStream();
        return new AgentLink() {
            @Override
            public InputStream input() {
                return process.getInputStream();
            }

            @Override
            public void write(byte[] bytes) throws IOException {
                toGuest.write(bytes);
                toGuest.flush();
            }

            @Override
            public void close() {
                try {
                    toGuest.close();
                } catch (IOException e) {
                    // the process is gone
                }
                try {
                    process.getInputStream().close();
                } catch (IOException e) {
                    // the process is gone
                }
            }
        };
    }
}
