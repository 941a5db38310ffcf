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
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.net.ExtendedSocketOptions;

import org.apache.felix.service.command.CommandProcessor;
import org.crustyclaw.api.command.CommandCatalog;
import org.crustyclaw.api.secret.Redaction;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The admin socket: a Unix domain socket, owner-only, inside a directory only the owner may
 * enter, on which the CLI runs Gogo commands. Only the daemon's own user and root may
 * connect (checked with the peer's credentials on every connection).
 */
@Component(immediate = true, configurationPid = "org.crustyclaw.admin")
@Designate(ocd = AdminConfig.class)
public final class AdminServer {

    private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());

    private final Path socket;
    private final ServerSocketChannel server;
    private final CommandProcessor processor;
    private final ExecutorService workers;
    private final Thread acceptor;
    private final ScheduledExecutorService reaper;
    /** Open connections and the user each belongs to; admission counts them under this map's lock. */
    private final Map<AdminConnection, String> open = new HashMap<>();
    private volatile AdminConfig config;

    /** Scrubs error messages before they leave the daemon; absent until the security bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Redaction redaction;

    /** Checks a command's arguments against its usage before it runs; absent until the commands bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CommandCatalog catalog;

    @Activate
    public AdminServer(BundleContext context, @Reference CommandProcessor processor, AdminConfig config) throws IOException {
        this.processor = processor;
        this.config = config;
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
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-idle");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::closeIdle, 1, 1, TimeUnit.SECONDS);
        this.acceptor = new Thread(this::accept, "admin-socket");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.log(Level.INFO, "admin socket listening on " + socket);
    }

    @Modified
    void modified(AdminConfig changed) {
        this.config = changed;
        LOG.log(Level.INFO, "admin socket limits: idle " + changed.idleTimeoutSeconds() + "s, " + changed.maxConnectionsPerUser()
                + " per user, " + changed.maxConnections() + " in all");
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                String user;
                try {
                    user = channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.log(Level.WARNING, "admin connection without peer credentials refused: " + e.getMessage());
                    channel.close();
                    continue;
                }
                AdminConnection connection = new AdminConnection(channel, processor, text -> {
                    Redaction r = redaction;
                    return r == null ? text : r.scrub(text);
                }, () -> java.util.Optional.ofNullable(catalog));
                Optional<String> busy = admit(connection, user);
                if (busy.isPresent()) {
                    LOG.log(Level.WARNING, "admin connection refused: " + busy.get());
                    refuse(channel, busy.get());
                    connection.close();
                    continue;
                }
                workers.execute(() -> {
                    try (connection) {
                        connection.serve();
                    } catch (IOException e) {
                        LOG.log(Level.DEBUG, "admin connection ended: " + e.getMessage());
                    } finally {
                        synchronized (open) {
                            open.remove(connection);
                        }
                    }
                });
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(Level.WARNING, "admin socket accept failed: " + e.getMessage());
                }
            }
        }
    }

    /** Registers the connection, or says why it is refused: its user, or everyone, holds the most allowed. */
    private Optional<String> admit(AdminConnection connection, String user) {
        AdminConfig limits = config;
        synchronized (open) {
            long mine = open.values().stream().filter(user::equals).count();
            if (mine >= limits.maxConnectionsPerUser()) {
                return Optional.of("crustyclaw is busy: user " + user + " holds " + mine + " admin connections, the most"
                        + " [admin] max_connections_per_user allows; try again (idle ones close after "
                        + limits.idleTimeoutSeconds() + "s)");
            }
            if (open.size() >= limits.maxConnections()) {
                return Optional.of("crustyclaw is busy: " + open.size() + " admin connections are open, the most [admin]"
                        + " max_connections allows; try again (idle ones close after " + limits.idleTimeoutSeconds() + "s)");
            }
            open.put(connection, user);
            return Optional.empty();
        }
    }

    /** Closes connections that ran nothing and sent nothing for longer than the idle timeout. */
    private void closeIdle() {
        long limit = TimeUnit.SECONDS.toNanos(config.idleTimeoutSeconds());
        Map<AdminConnection, String> idle = new HashMap<>();
        synchronized (open) {
            open.forEach((c, user) -> {
                if (c.idleNanos() > limit) {
                    idle.put(c, user);
                }
            });
        }
        idle.forEach((c, user) -> {
            LOG.log(Level.INFO, "closing an admin connection of " + user + " idle for more than "
                    + config.idleTimeoutSeconds() + "s");
            c.closeChannel();
        });
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
        reaper.shutdownNow();
        workers.shutdownNow();
        Files.deleteIfExists(socket);
    }
}
