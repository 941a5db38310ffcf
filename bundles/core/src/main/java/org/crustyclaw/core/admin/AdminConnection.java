package org.crustyclaw.core.admin;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.CommandCatalog;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.launcher.protocol.Frames;

/**
 * One client of the admin socket: one Gogo session, any number of requests. Each request runs
 * on its own thread so the connection can keep reading: stdin frames feed the command, and a
 * client that goes away interrupts it (Ctrl-C on {@code audit tail -f} ends the tail).
 */
final class AdminConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AdminConnection.class.getName());
    private static final Pattern COMMAND = Pattern.compile("[a-z][a-z0-9_-]*(:[a-z][a-z0-9_-]*)?");

    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final PipedOutputStream stdin = new PipedOutputStream();
    private final CommandSession session;
    private final AtomicReference<Thread> running = new AtomicReference<>();
    private final UnaryOperator<String> scrub;
    private final Supplier<Optional<CommandCatalog>> catalog;
    /** When the client last sent a frame or a command of it ended. */
    private volatile long lastActive = System.nanoTime();

    AdminConnection(SocketChannel channel, CommandProcessor processor, UnaryOperator<String> scrub,
            Supplier<Optional<CommandCatalog>> catalog) throws IOException {
        this.channel = channel;
        this.scrub = scrub;
        this.catalog = catalog;
        this.in = Frames.input(channel);
        this.out = Frames.output(channel);
        PipedInputStream keyboard = new PipedInputStream(stdin, 64 * 1024);
        this.session = processor.createSession(keyboard, new PrintStream(new FrameStream(Frames.STDOUT), true, StandardCharsets.UTF_8),
                new PrintStream(new FrameStream(Frames.STDERR), true, StandardCharsets.UTF_8));
    }

    void serve() throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String self = System.getProperty("user.name");
        String user = peer.user().getName();
        if (!user.equals(self) && !user.equals("root")) {
            Frames.write(out, Frames.STDERR, "admin socket: user " + user + " may not control a daemon of " + self + "\n");
            Frames.exit(out, 1);
            return;
        }
        // Only the daemon's owner and root get here: they operate the daemon.
        session.put("crustyclaw.principal", new Principal.Authenticated(user, Set.of("admin"), "cli", "unix-peer-credentials"));
        Thread worker = null;
        Frames.Frame frame;
        while ((frame = Frames.read(in)) != null) {
            lastActive = System.nanoTime();
            switch (frame.type()) {
                case Frames.COMMAND, Frames.LINE -> {
                    if (worker != null) {
                        joinQuietly(worker);
                    }
                    Frames.Frame request = frame;
                    worker = new Thread(() -> execute(request), "admin-command");
                    worker.setDaemon(true);
                    running.set(worker);
                    worker.start();
                }
                case Frames.WORKDIR -> session.currentDir(Path.of(frame.text()));
                case Frames.STDIN -> stdin.write(frame.payload());
                case Frames.STDIN_EOF -> stdin.close();
                default -> throw new IOException("unknown frame type " + (char) frame.type());
            }
        }
        Thread last = running.get();
        if (last != null && last.isAlive()) {
            last.interrupt();
        }
    }

    private void execute(Frames.Frame request) {
        int code;
        Optional<String> problem = request.type() == Frames.COMMAND ? usageProblem(request.arguments()) : Optional.empty();
        try {
            if (problem.isPresent()) {
                throw new CommandFailedException(2, problem.get());
            }
            Object result = session.execute(request.type() == Frames.COMMAND ? script(request.arguments()) : request.text());
            if (result != null) {
                CharSequence text = result instanceof CharSequence s ? s : session.format(result, Converter.INSPECT);
                String shown = text.toString();
                session.getConsole().print(shown.endsWith("\n") || shown.isEmpty() ? shown : shown + "\n");
            }
            code = 0;
        } catch (Exception e) {
            code = Failures.exitCode(e, catalog.get());
            session.getConsole().flush();
            LOG.log(Level.DEBUG, "command failed: " + e, e);
            String shown = Failures.serviceMissing(e) && request.type() == Frames.COMMAND
                    ? Failures.unavailable(request.arguments().get(0)) : Failures.message(e, catalog.get());
            error(scrub.apply(shown));
        }
        lastActive = System.nanoTime();
        try {
            session.getConsole().flush();
            Frames.exit(out, code);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "client left before the exit code: " + e.getMessage());
        }
    }

    /** The catalog's verdict on {@code area:verb args}, before Gogo binds them (and would name its method signatures). */
    private Optional<String> usageProblem(List<String> arguments) {
        if (arguments.isEmpty() || !COMMAND.matcher(arguments.get(0)).matches() || arguments.get(0).indexOf(':') < 0) {
            return Optional.empty();
        }
        String[] name = arguments.get(0).split(":", 2);
        return catalog.get().flatMap(c -> c.check(name[0], name[1], arguments.subList(1, arguments.size())));
    }

    /**
     * Builds a Gogo line that passes every argument as a variable, so no argument is ever
     * parsed as Gogo syntax ({@code $}, {@code ;}, {@code |}, quotes stay literal).
     */
    private String script(List<String> arguments) {
        if (arguments.isEmpty() || !COMMAND.matcher(arguments.get(0)).matches()) {
            throw new IllegalArgumentException("not a command name: " + (arguments.isEmpty() ? "(empty)" : arguments.get(0)));
        }
        StringBuilder line = new StringBuilder(arguments.get(0));
        for (int i = 1; i < arguments.size(); i++) {
            session.put("_arg" + i, arguments.get(i));
            line.append(" $_arg").append(i);
        }
        return line.toString();
    }

    private void error(String message) {
        try {
            Frames.write(out, Frames.STDERR, message.endsWith("\n") ? message : message + "\n");
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "client left before the error: " + e.getMessage());
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long the connection has run nothing and sent nothing; 0 while a command runs. */
    long idleNanos() {
        Thread t = running.get();
        return t != null && t.isAlive() ? 0 : System.nanoTime() - lastActive;
    }

    /** Closes the socket from another thread; {@link #serve} then ends. */
    void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing an idle admin connection: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        session.close();
        channel.close();
    }

    /** Writes what a command prints as frames of one type, as it is printed. */
    private final class FrameStream extends OutputStream {
        private final byte type;

        FrameStream(byte type) {
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                try {
                    Frames.write(out, type, b, off, len);
                } catch (IOException e) {
                    Thread t = running.get();
                    if (t != null) {
                        t.interrupt();
                    }
                    throw new InterruptedIOException("admin client disconnected");
                }
            }
        }
    }

    /** Maps what a command threw to an exit code and a message for stderr. */
    static final class Failures {
        private Failures() {}

        static int exitCode(Throwable e, Optional<CommandCatalog> catalog) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CommandFailedException f) {
                    return f.exitCode();
                }
                if (t.getClass().getName().equals("org.apache.felix.gogo.runtime.CommandNotFoundException")
                        && !unavailable(t, catalog)
                        || t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).startsWith("Cannot coerce")) {
                    return 2;
                }
            }
            return 1;
        }

        /**
         * Gogo found the command but SCR could not give it its object (a reference it needs is
         * missing): Gogo then calls a method on null.
         */
        static boolean serviceMissing(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof NullPointerException) {
                    for (StackTraceElement frame : t.getStackTrace()) {
                        if (frame.getClassName().startsWith("org.apache.felix.gogo.runtime.")) {
                            return true;
                        }
                        if (!frame.getClassName().startsWith("java.")) {
                            return false;
                        }
                    }
                }
            }
            return false;
        }

        static String unavailable(String command) {
            return "error: '" + command.replace(':', ' ') + "' is not available: a service it needs did not start"
                    + " (run 'crustyclaw status'; details in the daemon log)";
        }

        /** A command Gogo does not find though the catalog lists it: installed, but its services are down. */
        private static boolean unavailable(Throwable notFound, Optional<CommandCatalog> catalog) {
            String[] name = String.valueOf(notFound.getMessage()).replace("Command not found: ", "").split(":", 2);
            return name.length == 2 && catalog.flatMap(c -> c.area(name[0])).flatMap(a -> a.verb(name[1])).isPresent();
        }

        static String message(Throwable e, Optional<CommandCatalog> catalog) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CommandFailedException f) {
                    return f.getMessage();
                }
                if (t.getClass().getName().equals("org.apache.felix.gogo.runtime.CommandNotFoundException")) {
                    String command = String.valueOf(t.getMessage()).replace("Command not found: ", "");
                    if (unavailable(t, catalog)) {
                        // Catalogued, so installed: its component is there but a service it needs did not start.
                        return unavailable(command);
                    }
                    return "error: unknown command " + command.replace(':', ' ') + catalog.map(c -> "; the areas are: "
                            + String.join(", ", c.areas().stream().map(AreaUsage::name).toList())).orElse("")
                            + " (run 'crustyclaw --help', or 'help' in the shell)";
                }
                if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).startsWith("Cannot coerce")) {
                    // Gogo names the method's Java signature here; the user needs the command's usage.
                    String method = String.valueOf(t.getMessage()).replaceFirst("^Cannot coerce ([a-z0-9_-]+)\\(.*", "$1");
                    return "usage error: the arguments do not fit the command " + (method.matches("[a-z0-9_-]+") ? "'" + method
                            + "' " : "") + "(run it with --help for its usage and an example)";
                }
            }
            Throwable root = e;
            while (root.getCause() != null && (root instanceof java.lang.reflect.InvocationTargetException
                    || root.getMessage() == null)) {
                root = root.getCause();
            }
            return "error: " + (root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
        }
    }
}
