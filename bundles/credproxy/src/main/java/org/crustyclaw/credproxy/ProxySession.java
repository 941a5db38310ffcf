package org.crustyclaw.credproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.egress.SecretGrant;

/**
 * One sandbox's proxy: a loopback listener and a Unix socket of its own (the listener a
 * connection arrives on is what names the sandbox; there is no credential to steal), its
 * sentinels and real values, its limits, and the approvals answered during it.
 */
final class ProxySession implements EgressSession {

    /** A granted secret: its real bytes live only here, its sentinel goes into the sandbox. */
    record Grant(SecretGrant grant, byte[] real, byte[] sentinel) {}

    final String id;
    final EgressPolicy policy;
    final Limits limits;
    final List<Grant> grants;
    final Map<String, Boolean> answers = new ConcurrentHashMap<>();
    private final Proxy proxy;
    private final ServerSocket tcp;
    private final ServerSocketChannel unix;
    private final Path socketDir;
    private final Path socket;
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ProxySession(Proxy proxy, String id, EgressPolicy policy, List<Grant> grants) {
        this.proxy = proxy;
        this.id = id;
        this.policy = policy;
        this.grants = List.copyOf(grants);
        this.limits = new Limits(policy.limits());
        try {
            this.tcp = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            this.socketDir = Files.createDirectories(proxy.settings.runDir()).resolve(id);
            Files.createDirectory(socketDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            this.socket = socketDir.resolve("proxy.sock");
            this.unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            unix.bind(UnixDomainSocketAddress.of(socket), 64);
            // the sandbox user differs from the daemon's: the socket is reachable only where it is bound in
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open the egress listeners of sandbox " + id + ": " + e.getMessage(), e);
        }
        start("tcp", () -> Conn.of(acceptTcp()));
        start("unix", () -> Conn.of(acceptUnix()));
    }

    private interface Acceptor {
        Conn accept() throws IOException;
    }

    private Socket acceptTcp() throws IOException {
        return tcp.accept();
    }

    private SocketChannel acceptUnix() throws IOException {
        return unix.accept();
    }

    private void start(String kind, Acceptor acceptor) {
        Thread t = new Thread(() -> {
            while (!closed) {
                Conn conn;
                try {
                    conn = acceptor.accept();
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                open.add(conn);
                proxy.serve(this, conn);
            }
        }, "crustyclaw-egress-" + kind + "-" + id);
        t.setDaemon(true);
        t.start();
    }

    void ended(Conn conn) {
        open.remove(conn);
    }

    boolean isClosed() {
        return closed;
    }

    /** Toward {@code host}: sentinels bound to it become real values, all others are forbidden. */
    Swap upstream(String host) {
        List<Swap.Rule> rules = new ArrayList<>();
        for (Grant g : grants) {
            rules.add(new Swap.Rule(g.grant().secret(), g.sentinel(), g.grant().boundTo(host) ? g.real() : new byte[0]));
        }
        return new Swap(rules);
    }

    /** Toward the sandbox: every real value becomes its sentinel. */
    Swap downstream() {
        List<Swap.Rule> rules = new ArrayList<>();
        for (Grant g : grants) {
            rules.add(new Swap.Rule(g.grant().secret(), g.real(), g.sentinel()));
        }
        return new Swap(rules);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public EgressPolicy policy() {
        return policy;
    }

    @Override
    public InetSocketAddress proxyAddress() {
        return (InetSocketAddress) tcp.getLocalSocketAddress();
    }

    @Override
    public Path proxySocket() {
        return socket;
    }

    @Override
    public Map<String, String> sentinels() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Grant g : grants) {
            env.put(g.grant().env(), new String(g.sentinel(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        return Map.copyOf(env);
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable c : new AutoCloseable[] {tcp, unix}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing is best effort
            }
        }
        open.forEach(Conn::close);
        for (Grant g : grants) {
            Arrays.fill(g.real(), (byte) 0);
        }
        try {
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
            if (socketDir != null) {
                Files.deleteIfExists(socketDir);
            }
        } catch (IOException e) {
            // a leftover socket file in the run directory is harmless: nothing listens on it
        }
        proxy.closed(this);
    }

    @Override
    public String toString() {
        return "EgressSession[" + id + ", skill " + policy.skill() + "]";
    }
}
