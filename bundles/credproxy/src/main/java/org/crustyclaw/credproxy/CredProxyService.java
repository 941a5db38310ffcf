package org.crustyclaw.credproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.config.ConfigSectionHandler;
import org.crustyclaw.api.egress.Egress;
import org.crustyclaw.api.egress.EgressDecision;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.api.secret.SecretStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@link Egress} service (configuration PID {@code org.crustyclaw.credproxy}) and the owner
 * of the {@code [egress]} section, whose per-skill policies it serves. An {@code ask} rule files
 * a request with the {@link Approvals} service and holds the request until it is answered;
 * without an approval service running, an {@code ask} is a refusal.
 */
@Component(service = {Egress.class, ConfigSectionHandler.class}, configurationPid = CredProxyService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CredProxyService.Config.class)
public final class CredProxyService implements Egress, ConfigSectionHandler {

    public static final String PID = "org.crustyclaw.credproxy";

    @ObjectClassDefinition(name = "CrustyClaw credential proxy", description = "Default-deny egress for sandboxes, with sentinel secrets")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds a client has to send a whole request head (slowloris bound)")
        long headTimeoutMillis() default 10000;

        @AttributeDefinition(description = "Milliseconds without a byte moving before a connection is closed")
        long idleTimeoutMillis() default 60000;

        @AttributeDefinition(description = "Milliseconds connecting to an upstream host may take")
        long connectTimeoutMillis() default 10000;

        @AttributeDefinition(description = "Largest request or response head in bytes")
        int maxHeadBytes() default 32768;

        @AttributeDefinition(description = "Most header fields in a head")
        int maxHeaders() default 100;

        @AttributeDefinition(description = "Connections at once over all sandboxes")
        int maxConnections() default 256;

        @AttributeDefinition(description = "Let allowed names resolve to loopback, private or link-local addresses (off: such a name is refused)")
        boolean allowPrivateUpstreams() default false;

        @AttributeDefinition(description = "Minutes an ask rule waits for an approval before the request is refused")
        long askTimeoutMinutes() default 10;
    }

    private final Proxy proxy;
    private final Path runDir;
    private final AuditLog audit;
    private final Duration askTimeout;
    private final AtomicReference<Map<String, EgressPolicy>> policies = new AtomicReference<>(Map.of());
    private final AtomicInteger asks = new AtomicInteger();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Approvals approvals;

    @Activate
    public CredProxyService(Config config, @Reference AuditLog audit, @Reference SecretStore secrets) {
        this.audit = audit;
        if (config.askTimeoutMinutes() < 1) {
            throw new IllegalArgumentException("askTimeoutMinutes must be at least 1: " + config.askTimeoutMinutes());
        }
        this.askTimeout = Duration.ofMinutes(config.askTimeoutMinutes());
        try {
            this.runDir = Files.createTempDirectory("crustyclaw-egress-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the egress socket directory: " + e.getMessage(), e);
        }
        Settings settings = new Settings(runDir, config.headTimeoutMillis(), config.idleTimeoutMillis(),
                config.connectTimeoutMillis(), config.maxHeadBytes(), config.maxHeaders(), config.maxConnections(),
                config.allowPrivateUpstreams());
        this.proxy = new Proxy(settings, audit, secrets::get, InetAddress::getAllByName, this::ask);
    }

    /** Files an approval request and waits for its answer; no approval service, a timeout or an error refuse. */
    private boolean ask(ProxySession session, String rule, String method, Target target) {
        Approvals service = approvals;
        if (service == null) {
            return false;
        }
        Instant now = Instant.now();
        ApprovalRequest request = new ApprovalRequest("egress-" + session.id + "-" + asks.incrementAndGet(),
                "egress " + method + " " + target.host() + ":" + target.port() + target.redactedPath(),
                "rule " + rule + " of skill " + session.policy.skill() + " asks before this request goes out",
                "sandbox:" + session.id, rule, Optional.of("skill " + session.policy.skill()), now, now.plus(askTimeout));
        try {
            Decision decision = service.request(request, askTimeout).toCompletableFuture()
                    .get(askTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return decision.approved();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    @Deactivate
    void deactivate() {
        proxy.close();
        try {
            Files.deleteIfExists(runDir);
        } catch (IOException e) {
            // a session directory left behind keeps it; it is under the temporary directory
        }
    }

    @Override
    public EgressSession open(String sandbox, EgressPolicy policy) {
        return proxy.open(sandbox, policy);
    }

    @Override
    public EgressDecision decide(EgressPolicy policy, String method, URI url) {
        return proxy.decide(policy, method, url);
    }

    @Override
    public List<EgressPolicy> policies() {
        return List.copyOf(policies.get().values());
    }

    @Override
    public Optional<EgressPolicy> policy(String skill) {
        return Optional.ofNullable(policies.get().get(skill));
    }

    @Override
    public String section() {
        return "egress";
    }

    @Override
    public List<ConfigProblem> check(String file, String toml) {
        return EgressConfig.parse(file, toml).problems();
    }

    @Override
    public void apply(String file, String toml) {
        EgressConfig.Parsed parsed = EgressConfig.parse(file, toml);
        if (!parsed.problems().isEmpty()) {
            throw new IllegalArgumentException("[egress] in " + file + " rejected, previous rules stay in force: "
                    + parsed.problems());
        }
        try {
            audit.append("config.reload", "config", Map.of("section", "egress", "file", file,
                    "skills", String.join(",", parsed.policies().keySet())));
        } catch (AuditException e) {
            throw new IllegalStateException("[egress] reload from " + file + " not applied: it could not be audited ("
                    + e.getMessage() + ")", e);
        }
        policies.set(java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(parsed.policies())));
    }
}
