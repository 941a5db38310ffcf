package org.crustyclaw.security.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.config.ConfigSectionHandler;
import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.Policy;
import org.crustyclaw.api.policy.PolicyCaseResult;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The policy engine service and the owner of the {@code policy} section of
 * {@code crustyclaw.toml}. Starts with the deny-all policy; a reload swaps the whole rule set
 * at once, and a rejected one leaves the previous policy in force.
 */
@Component(service = {PolicyEngine.class, ConfigSectionHandler.class})
public final class PolicyService implements PolicyEngine, ConfigSectionHandler {

    /** Files larger than this are refused before parsing. */
    static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private final AuditLog audit;
    private final Clock clock;
    private final AtomicReference<Policy> current = new AtomicReference<>(CompiledPolicy.denyAll());

    @Activate
    public PolicyService(@Reference AuditLog audit) {
        this(audit, Clock.systemUTC());
    }

    public PolicyService(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Verdict decide(Subject subject, String action, String resource) {
        Verdict verdict = current.get().evaluate(subject, action, resource);
        try {
            audit.append("policy.decision", subject.principal(), Map.of(
                    "action", action,
                    "resource", resource,
                    "roles", String.join(",", new java.util.TreeSet<>(subject.roles())),
                    "channel", subject.channel().orElse(""),
                    "tier", subject.tier().map(t -> t.label()).orElse(""),
                    "tainted", String.valueOf(subject.tainted()),
                    "effect", verdict.effect().label(),
                    "rule", verdict.rule()));
        } catch (AuditException e) {
            return new Verdict(Effect.DENY, Verdict.AUDIT_UNAVAILABLE, "denied because the decision could not be audited: "
                    + e.getMessage());
        }
        return verdict;
    }

    @Override
    public Policy current() {
        return current.get();
    }

    @Override
    public Policy load(Path file) throws PolicyException {
        return PolicyCompiler.compile(file.toString(), read(file), clock);
    }

    @Override
    public List<PolicyCaseResult> test(Path cases, Policy policy) throws PolicyException {
        return PolicyCases.run(cases.toString(), read(cases), policy);
    }

    private static String read(Path file) throws PolicyException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw problem(file, "is " + size + " bytes: expected at most " + MAX_FILE_BYTES);
            }
            byte[] bytes = Files.readAllBytes(file);
            var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
            try {
                return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw problem(file, "is not valid UTF-8: expected a UTF-8 TOML file");
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw problem(file, "does not exist: expected a TOML file with [[policy.rules]] or [[case]] tables");
        } catch (IOException e) {
            throw problem(file, "cannot be read: " + e.getMessage());
        }
    }

    private static PolicyException problem(Path file, String message) {
        return new PolicyException(List.of(new ConfigProblem(file.toString(), 0, 0, "", message)));
    }

    @Override
    public String section() {
        return "policy";
    }

    @Override
    public List<ConfigProblem> check(String file, String toml) {
        try {
            PolicyCompiler.compile(file, toml, clock);
            return List.of();
        } catch (PolicyException e) {
            return new ArrayList<>(e.problems());
        }
    }

    @Override
    public void apply(String file, String toml) {
        Policy next;
        try {
            next = PolicyCompiler.compile(file, toml, clock);
        } catch (PolicyException e) {
            throw new IllegalArgumentException("policy in " + file + " rejected, previous policy stays in force:\n"
                    + e.getMessage(), e);
        }
        try {
            audit.append("config.reload", "config", Map.of("section", "policy", "file", file,
                    "rules", String.valueOf(next.rules().size())));
        } catch (AuditException e) {
            throw new IllegalStateException("policy reload from " + file + " not applied: it could not be audited ("
                    + e.getMessage() + ")", e);
        }
        current.set(next);
    }
}
