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

    /** A connection, or empty when no daemon answers on {@code socket}. */
    static Optional<AdminClient> connect(Path socket) {
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
            Frames.write(client.out, Frames.WORKDIR, Path.of("").toAbsolutePath().toString());
            return Optional.of(client);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs one command (its Gogo name first), copying its output as it comes; returns its exit code. */
    int run(List<String> arguments, Optional<InputStream> stdin, PrintStream stdout, PrintStream stderr) throws IOException {
        Frames.command(out, arguments);
        stdin.ifPresentOrElse(this::pump, () -> {
            try {
                Frames.write(out, Frames.STDIN_EOF, new byte[0], 0, 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return readUntilExit(stdout, stderr);
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
