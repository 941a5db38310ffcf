package org.crustyclaw.core.admin;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.crustyclaw.api.command.CommandCatalog;
import org.crustyclaw.api.secret.Redaction;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The admin socket: a Unix domain socket, owner-only, inside a directory only the owner may
 * enter, on which the CLI runs Gogo commands. Only the daemon's own user and root may
 * connect (checked with the peer's credentials on every connection).
 */
@Component(immediate = true)
public final class AdminServer {

    private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());
    private static final int MAX_CONNECTIONS = 32;

    private final Path socket;
    private final ServerSocketChannel server;
    private final CommandProcessor processor;
    private final ExecutorService workers;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Thread acceptor;

    /** Scrubs error messages before they leave the daemon; absent until the security bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Redaction redaction;

    /** Checks a command's arguments against its usage before it runs; absent until the commands bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CommandCatalog catalog;

    @Activate
    public AdminServer(BundleContext context, @Reference CommandProcessor processor) throws IOException {
        this.processor = processor;
        String configured = context.getProperty("crustyclaw.admin.socket");
        String state = Objects.requireNonNullElse(context.getProperty("crustyclaw.state.dir"), ".");
        this.socket = Path.of(configured != null ? configured : state + "/run/admin.sock");
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "admin-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::accept, "admin-socket");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.log(Level.INFO, "admin socket listening on " + socket);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                if (!slots.tryAcquire()) {
                    refuse(channel, "too many admin connections (" + MAX_CONNECTIONS + "); try again");
                    continue;
                }
                workers.execute(() -> {
                    try (AdminConnection connection = new AdminConnection(channel, processor, text -> {
                        Redaction r = redaction;
                        return r == null ? text : r.scrub(text);
                    }, () -> java.util.Optional.ofNullable(catalog))) {
                        connection.serve();
                    } catch (IOException e) {
                        LOG.log(Level.DEBUG, "admin connection ended: " + e.getMessage());
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(Level.WARNING, "admin socket accept failed: " + e.getMessage());
                }
            }
        }
    }

    private static void refuse(SocketChannel channel, String reason) {
        try (channel; var out = org.crustyclaw.launcher.protocol.Frames.output(channel)) {
            org.crustyclaw.launcher.protocol.Frames.write(out, org.crustyclaw.launcher.protocol.Frames.STDERR, reason + "\n");
            org.crustyclaw.launcher.protocol.Frames.exit(out, 1);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not tell a refused client why: " + e.getMessage());
        }
    }

    @Deactivate
    void close() throws IOException {
        server.close();
        workers.shutdownNow();
        Files.deleteIfExists(socket);
    }
}
