package org.crustyclaw.launcher;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.crustyclaw.launcher.protocol.Frames;

/** The CLI's side of the admin socket. */
final class AdminClient implements AutoCloseable {

    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;

    private AdminClient(SocketChannel channel) {
        this.channel = channel;
        this.in = Frames.input(channel);
        this.out = Frames.output(channel);
    }

    /**
     * The daemon took the connection but turned it away (too many connections): it runs, so this
     * is a failure (exit 1) saying so, never "not running".
     */
    static final class Busy extends IOException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message);
        }
    }

    /**
     * A connection, or empty when no daemon answers on {@code socket}.
     *
     * @throws Busy when the daemon answered but refused the connection
     */
    static Optional<AdminClient> connect(Path socket) throws Busy {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                return Optional.empty();
            }
            AdminClient client = new AdminClient(channel);
            try {
                Frames.write(client.out, Frames.WORKDIR, Path.of("").toAbsolutePath().toString());
            } catch (IOException e) {
                throw client.refusal(e);
            }
            return Optional.of(client);
        } catch (Busy e) {
            throw e;
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs one command (its Gogo name first), copying its output as it comes; returns its exit code. */
    int run(List<String> arguments, Optional<InputStream> stdin, PrintStream stdout, PrintStream stderr) throws IOException {
        try {
            Frames.command(out, arguments);
        } catch (IOException e) {
            throw refusal(e);
        }
        stdin.ifPresentOrElse(this::pump, () -> {
            try {
                Frames.write(out, Frames.STDIN_EOF, new byte[0], 0, 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return readUntilExit(stdout, stderr);
    }

    /**
     * Whether the daemon has closed this connection while it was idle: between commands nothing
     * may arrive, so readable bytes or an end of stream mean it is gone.
     */
    boolean idleClosed() throws IOException {
        if (in.available() > 0) {
            return true;
        }
        channel.configureBlocking(false);
        try {
            java.nio.ByteBuffer probe = java.nio.ByteBuffer.allocate(1);
            int n = channel.read(probe);
            return n != 0;
        } finally {
            channel.configureBlocking(true);
        }
    }

    /** Runs one line typed in the shell. */
    int line(String line, PrintStream stdout, PrintStream stderr) throws IOException {
        Frames.write(out, Frames.LINE, line);
        return readUntilExit(stdout, stderr);
    }

    private int readUntilExit(PrintStream stdout, PrintStream stderr) throws IOException {
        Frames.Frame frame;
        while ((frame = Frames.read(in)) != null) {
            switch (frame.type()) {
                case Frames.STDOUT -> {
                    stdout.write(frame.payload());
                    stdout.flush();
                }
                case Frames.STDERR -> {
                    stderr.write(frame.payload());
                    stderr.flush();
                }
                case Frames.EXIT -> {
                    return frame.exitCode();
                }
                default -> throw new IOException("daemon sent an unknown frame type " + (char) frame.type());
            }
        }
        throw new IOException("the daemon closed the connection before the command finished");
    }

    /**
     * What the daemon said before it closed a connection we could not write to: its refusal
     * (read from what it sent first), or that it closed the connection at once.
     */
    private Busy refusal(IOException writeFailed) {
        StringBuilder said = new StringBuilder();
        try {
            Frames.Frame frame;
            while ((frame = Frames.read(in)) != null && frame.type() != Frames.EXIT) {
                if (frame.type() == Frames.STDERR || frame.type() == Frames.STDOUT) {
                    said.append(frame.text());
                }
            }
        } catch (IOException e) {
            // what it said so far is all there is
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing a connection the daemon closed
        }
        String text = said.toString().strip();
        return new Busy(text.isEmpty() ? "crustyclaw runs but closed the admin connection at once (" + writeFailed.getMessage()
                + "); try again" : text);
    }

    /** Copies our stdin to the daemon in the background, then says EOF. */
    private void pump(InputStream stdin) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = stdin.read(buffer)) > 0) {
                    Frames.write(out, Frames.STDIN, buffer, 0, n);
                }
                Frames.write(out, Frames.STDIN_EOF, new byte[0], 0, 0);
            } catch (IOException e) {
                // the command ended or the daemon went away; the exit frame says which
            }
        }, "stdin");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
