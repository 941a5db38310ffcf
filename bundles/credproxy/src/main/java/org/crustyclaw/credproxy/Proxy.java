package org.crustyclaw.credproxy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.egress.EgressDecision;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.egress.SecretGrant;
import org.crustyclaw.api.secret.Secret;

/**
 * The proxy engine behind the {@link org.crustyclaw.api.egress.Egress} service, free of OSGi
 * so tests drive it directly: sessions, the shared connection threads, the watchdog.
 */
final class Proxy implements AutoCloseable {

    /** Looks a secret up by name (the secret store in the daemon). */
    interface Secrets {
        Optional<Secret> get(String name);
    }

    /** Resolves host names; the proxy, never the sandbox, does DNS. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * Asks a human about a request an {@code ask} rule matched; true to let it go. Blocks
     * the request's thread until answered or timed out.
     */
    interface Asker {
        boolean ask(ProxySession session, String rule, String method, Target target);
    }

    static final Asker NO_APPROVALS = (s, r, m, t) -> false;

    final Settings settings;
    final AuditLog audit;
    final Resolver resolver;
    final Asker asker;
    final Watchdog watchdog;
    final HeadParser parser;
    private final Secrets secrets;
    private final ExecutorService threads;
    private final Map<String, ProxySession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    Proxy(Settings settings, AuditLog audit, Secrets secrets, Resolver resolver, Asker asker) {
        this.settings = settings;
        this.audit = audit;
        this.secrets = secrets;
        this.resolver = resolver;
        this.asker = asker;
        this.parser = new HeadParser(settings.maxHeadBytes(), settings.maxHeaders());
        this.watchdog = new Watchdog(settings.idleTimeoutMillis(), Math.max(10, Math.min(250,
                settings.headTimeoutMillis() / 4)));
        // two threads per tunnel; beyond the bound a connection is refused, never queued without limit
        this.threads = new ThreadPoolExecutor(0, 2 * settings.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "crustyclaw-egress-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    EgressSession open(String sandbox, EgressPolicy policy) {
        if (!sandbox.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("sandbox name '" + sandbox + "' is not [A-Za-z0-9._-]{1,64}");
        }
        String id = sandbox + "-" + counter.incrementAndGet();
        List<ProxySession.Grant> grants = new ArrayList<>();
        try {
            for (SecretGrant g : policy.secrets()) {
                try (Secret secret = secrets.get(g.secret()).orElseThrow(() -> new IllegalArgumentException(
                        "skill " + policy.skill() + " is granted secret " + g.secret() + ", which the secret store does not know"))) {
                    byte[] real = secret.reveal();
                    grants.add(new ProxySession.Grant(g, real, Sentinels.mint(g.secret(), real)));
                }
            }
        } catch (RuntimeException e) {
            grants.forEach(g -> java.util.Arrays.fill(g.real(), (byte) 0));
            throw e;
        }
        ProxySession session = new ProxySession(this, id, policy, grants);
        sessions.put(id, session);
        return session;
    }

    EgressDecision decide(EgressPolicy policy, String method, URI url) {
        String m = method.toUpperCase(java.util.Locale.ROOT);
        try {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            Target target;
            if (scheme.equals("https")) {
                String port = url.getPort() < 0 ? "443" : Integer.toString(url.getPort());
                target = Target.of("CONNECT", url.getRawAuthority().replaceFirst(":[0-9]*$", "") + ":" + port);
                m = "CONNECT";
            } else {
                target = Target.of(m, url.toString());
            }
            return Rules.decide(policy, m, target);
        } catch (BadMessage e) {
            return new EgressDecision.Deny("malformed", e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("URL '" + url + "' is not http://host[:port]/path or https://host[:port]/path", e);
        }
    }

    void serve(ProxySession session, Conn conn) {
        if (!session.limits.tryConnection()) {
            Exchange.refuse(conn, 429, "sandbox " + session.id + " has " + session.policy.limits().connections()
                    + " connections open already");
            session.ended(conn);
            return;
        }
        try {
            threads.execute(new Exchange(this, session, conn));
        } catch (RejectedExecutionException e) {
            session.limits.releaseConnection();
            Exchange.refuse(conn, 503, "the proxy serves " + settings.maxConnections() + " connections already");
            session.ended(conn);
        }
    }

    /** Runs a tunnel's second direction; false when no thread is free. */
    boolean spare(Runnable task) {
        try {
            threads.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void closed(ProxySession session) {
        sessions.remove(session.id);
    }

    List<ProxySession> sessions() {
        return List.copyOf(sessions.values());
    }

    @Override
    public void close() {
        sessions().forEach(ProxySession::close);
        threads.shutdownNow();
        watchdog.close();
    }
}
