package org.crustyclaw.sandbox.manager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.HashMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.egress.Egress;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.api.sandbox.BackendStatus;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PoolStats;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.WorkspaceStatus;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The core's {@link Sandboxes}: whatever backends are installed right now (whiteboard),
 * the tier-to-level choice, the policy check and audit of every run, and the warm pool.
 */
@Component(configurationPid = SandboxManager.PID)
@Designate(ocd = SandboxManager.Config.class)
public final class SandboxManager implements Sandboxes {

    static final String PID = "org.crustyclaw.sandbox.manager";
    static final String EXEC_ACTION = "sandbox.exec";

    @ObjectClassDefinition(name = "Sandbox manager", description = "Chooses, checks, audits and pools sandboxes.")
    public @interface Config {
        @AttributeDefinition(description = "Per-skill isolation overrides, skill=LEVEL (e.g. build=L3). Raising is free;"
                + " lowering below the tier's level needs a policy allow of sandbox.lower on skill.<name>.")
        String[] skillLevels() default {};

        @AttributeDefinition(description = "Order in which backends of the same level are preferred.")
        String[] preference() default {"bwrap", "docker-runc", "docker-runsc", "qemu-microvm", "firecracker"};

        @AttributeDefinition(description = "Warm pools, image@LEVEL=SIZE (e.g. base@L2=2). Empty: no pool.")
        String[] pools() default {};

        @AttributeDefinition(description = "Memory of pooled sandboxes (e.g. 256m); requests with other limits start cold.")
        String poolMemory() default "256m";

        @AttributeDefinition(description = "Wall-clock limit of a command in a pooled sandbox (e.g. 5m).")
        String poolTimeout() default "5m";

        @AttributeDefinition(description = "Process limit of pooled sandboxes.")
        int poolMaxProcesses() default 128;

        @AttributeDefinition(description = "CPU cores of pooled sandboxes.")
        double poolCpus() default 1.0;

        @AttributeDefinition(description = "Scratch space of pooled sandboxes (e.g. 512m).")
        String poolDisk() default "512m";

        @AttributeDefinition(description = "Where fresh workspaces are made; empty: <java.io.tmpdir>/crustyclaw-workspaces-<id>,"
                + " one per state directory, so daemons with their own state directories never share one. One daemon"
                + " owns a root at a time; another one's runs fail until it is freed, then it claims it.")
        String workspaceRoot() default "";

        @AttributeDefinition(description = "A directory copied into every fresh workspace (source tree, caches); empty: none.")
        String workspaceSnapshot() default "";

        @AttributeDefinition(description = "Owner given to fresh workspaces when the daemon is root (the sandbox user).")
        int sandboxUid() default 65534;

        @AttributeDefinition(description = "Group given to fresh workspaces when the daemon is root.")
        int sandboxGid() default 65534;

        @AttributeDefinition(description = "Give every fresh workspace its own ext4 filesystem of the run's disk size"
                + " (loop-mounted; needs root). Off, or not root: the disk limit covers only the sandbox's /tmp.")
        boolean workspaceQuota() default true;

        @AttributeDefinition(description = "How many finished workspaces stay readable before the oldest is deleted."
                + " Workspaces a caller brought (--workspace) are never deleted.")
        int workspacesKept() default 32;
    }

    private final List<SandboxBackend> backends = new CopyOnWriteArrayList<>();
    private final Selector selector;
    private final Workspaces workspaces;
    private final WarmPool pool;
    private volatile PolicyEngine policy;
    private volatile Approvals approvals;
    private volatile AuditLog audit;
    private volatile Egress egress;

    /** Framework property naming the daemon's state directory, the home of the default workspace root. */
    static final String STATE_DIR = "crustyclaw.state.dir";

    @Activate
    public SandboxManager(BundleContext context, Config config) throws IOException {
        this(config, Optional.ofNullable(context.getProperty(STATE_DIR)).filter(s -> !s.isBlank()).map(Path::of));
    }

    /** Without a state directory (tests, embedders): the default root is under java.io.tmpdir. */
    public SandboxManager(Config config) throws IOException {
        this(config, Optional.empty());
    }

    private SandboxManager(Config config, Optional<Path> stateDir) throws IOException {
        this.selector = new Selector(Selector.parseSkillLevels(config.skillLevels()), List.of(config.preference()));
        ResourceLimits poolLimits = new ResourceLimits(ResourceLimits.parseSize(config.poolMemory()), config.poolCpus(),
                config.poolMaxProcesses(), ResourceLimits.parseDuration(config.poolTimeout()),
                ResourceLimits.parseSize(config.poolDisk()));
        Path root = (config.workspaceRoot().isBlank() ? defaultRoot(stateDir) : Path.of(config.workspaceRoot()))
                .toAbsolutePath().normalize();
        this.workspaces = new Workspaces(root, config.workspaceSnapshot().isBlank() ? Optional.empty()
                : Optional.of(Path.of(config.workspaceSnapshot())), config.sandboxUid(), config.sandboxGid(),
                config.workspaceQuota(), config.workspacesKept(), this::rootClaimed);
        this.pool = new WarmPool(WarmPool.parse(config.pools()), poolLimits, workspaces,
                level -> selector.select(List.copyOf(backends), level));
        pool.start();
    }

    /** The workspace root was freed by the daemon that held it: the pool can fill now. */
    private void rootClaimed() {
        pool.start();
    }

    /**
     * {@code <java.io.tmpdir>/crustyclaw-workspaces-<digest of the state directory>}: one root per
     * state directory, so two daemons never share one. Not inside the state directory: that one is
     * private to the daemon's user (it holds the keys), and the sandbox user must reach its
     * workspace's path to have it mounted. Without a state directory: the shared temporary one.
     */
    static Path defaultRoot(Optional<Path> stateDir) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        return stateDir.map(d -> tmp.resolve("crustyclaw-workspaces-" + digest(real(d))))
                .orElseGet(() -> tmp.resolve("crustyclaw-workspaces"));
    }

    /** The state directory as the file system knows it, so a symbolic link to it names the same root. */
    private static Path real(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private static String digest(Path dir) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Deactivate
    public void deactivate() {
        pool.close();
        workspaces.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addBackend(SandboxBackend backend) {
        backends.add(backend);
        pool.start();
    }

    public void removeBackend(SandboxBackend backend) {
        backends.remove(backend);
        pool.evict(backend.name());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicy(PolicyEngine engine) {
        this.policy = engine;
    }

    public void unsetPolicy(PolicyEngine engine) {
        if (this.policy == engine) {
            this.policy = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAudit(AuditLog log) {
        this.audit = log;
    }

    public void unsetAudit(AuditLog log) {
        if (this.audit == log) {
            this.audit = null;
        }
    }

    /** The credential proxy: a run of a skill with an {@code [egress]} policy goes out through it, and only so. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setEgress(Egress service) {
        this.egress = service;
    }

    public void unsetEgress(Egress service) {
        if (this.egress == service) {
            this.egress = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setApprovals(Approvals service) {
        this.approvals = service;
    }

    public void unsetApprovals(Approvals service) {
        if (this.approvals == service) {
            this.approvals = null;
        }
    }

    /**
     * A policy {@code ask}: files an approval request and waits for a human (or the request's
     * timeout). Empty when approved; otherwise why the run may not start. The waiting line
     * names the id, so the operator can answer from another terminal, Signal or the TUI.
     */
    private Optional<String> awaitApproval(RunRequest request, String resource, Verdict verdict,
            Consumer<OutputLine> lines, List<String> notes) throws SandboxException {
        Approvals service = approvals;
        if (service == null) {
            return Optional.of("policy asks for approval of " + EXEC_ACTION + " on " + resource + " (rule " + verdict.rule()
                    + "), but no approval service is installed");
        }
        Instant now = Instant.now();
        String id = "sx-" + UUID.randomUUID().toString().substring(0, 8);
        ApprovalRequest ask = new ApprovalRequest(id, EXEC_ACTION + " " + summary(request.command()), verdict.reason(),
                request.subject().principal(), verdict.rule(), Optional.of(String.join(" ", request.command())), now,
                now.plus(Approvals.DEFAULT_TIMEOUT));
        CompletionStage<Decision> answer = service.request(ask);
        lines.accept(new OutputLine(OutputLine.Stream.STDERR, "waiting for approval " + id + " (rule " + verdict.rule()
                + "): crustyclaw review approve " + id + "  |  crustyclaw review reject " + id));
        Decision decision;
        try {
            decision = answer.toCompletableFuture().get();
        } catch (InterruptedException e) {
            // The requester went away (its client was killed): nobody is left for an answer to release.
            withdraw(service, id, "the requester stopped waiting (its client went away or the run was cancelled)");
            Thread.currentThread().interrupt();
            return Optional.of("cancelled while waiting for approval " + id + "; the request was withdrawn");
        } catch (ExecutionException e) {
            throw new SandboxException("approval " + id + " failed: " + e.getCause().getMessage(), e.getCause());
        }
        if (!decision.approved()) {
            return Optional.of("approval " + id + " rejected by " + decision.by()
                    + (decision.reason().isBlank() ? "" : ": " + decision.reason()));
        }
        notes.add("approved as " + id + " by " + decision.by());
        return Optional.empty();
    }

    /**
     * Withdraws on a thread of its own and waits for it: this thread is being interrupted (more
     * than once, as the client's output stream fails too), which would cut the audited write short.
     */
    private static void withdraw(Approvals service, String id, String reason) {
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> service.withdraw(id, reason));
        for (;;) {
            try {
                done.get();
                return;
            } catch (InterruptedException e) {
                // keep waiting: the caller sets the flag again once the withdrawal is on record
            } catch (ExecutionException e) {
                System.getLogger(SandboxManager.class.getName()).log(System.Logger.Level.WARNING,
                        "approval " + id + " could not be withdrawn: " + e.getCause().getMessage());
                return;
            }
        }
    }

    @Override
    public List<BackendStatus> backends() {
        return backends.stream().map(BackendStatus::of).toList();
    }

    @Override
    public Selection select(IsolationLevel required) {
        return selector.select(List.copyOf(backends), required).selection();
    }

    @Override
    public Selection select(RunRequest request) {
        return selector.select(List.copyOf(backends), request, Optional.ofNullable(policy)).selection();
    }

    @Override
    public RunOutcome run(RunRequest request, Consumer<OutputLine> lines) throws SandboxException {
        PolicyEngine engine = policy;
        AuditLog log = audit;
        List<SandboxBackend> installed = List.copyOf(backends);
        // Fail closed: a run nobody checked or nobody recorded does not happen.
        if (engine == null) {
            return Selector.refuse("no policy engine is installed, so " + EXEC_ACTION + " cannot be checked and nothing runs"
                    + " (is the security bundle started?)", installed);
        }
        if (log == null) {
            return Selector.refuse("no audit log is installed, so the run cannot be recorded and nothing runs"
                    + " (is the security bundle started?)", installed);
        }
        Choice choice = selector.select(installed, request, Optional.of(engine));
        if (choice instanceof Choice.Refused refused) {
            return refused.refusal();
        }
        SandboxBackend backend = ((Choice.Backend) choice).backend();
        List<String> notes = new ArrayList<>();
        String resource = "sandbox." + backend.name();
        Verdict verdict = engine.decide(request.subject(), EXEC_ACTION, resource);
        if (verdict.effect() == Effect.ASK) {
            Optional<String> refused = awaitApproval(request, resource, verdict, lines, notes);
            if (refused.isPresent()) {
                return Selector.refuse(refused.get(), installed);
            }
        } else if (verdict.effect() != Effect.ALLOW) {
            return Selector.refuse("policy did not allow " + EXEC_ACTION + " on " + resource + " ("
                    + verdict.effect().label() + ", rule " + verdict.rule() + ": " + verdict.reason() + ")", installed);
        }
        Egress proxy = egress;
        Optional<EgressPolicy> egressPolicy = proxy == null ? Optional.empty() : request.skill().flatMap(proxy::policy);
        EgressSession session = null;
        if (egressPolicy.isPresent()) {
            try {
                session = proxy.open(request.skill().orElseThrow(), egressPolicy.get());
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                return Selector.refuse("the egress of skill " + request.skill().orElseThrow()
                        + " could not be opened, so the run did not start: " + e.getMessage(), installed);
            }
            notes.add("egress through the credential proxy (session " + session.id() + "): "
                    + egressPolicy.get().rules().size() + " rule(s)" + (session.sentinels().isEmpty() ? ""
                    : ", sentinels in " + String.join(", ", new java.util.TreeSet<>(session.sentinels().keySet())))
                    + (backend.name().equals("bwrap") ? "" : "; backend " + backend.name()
                    + " does not route egress yet, so the sandbox has no network"));
        }
        try {
            return run(request, backend, log, installed, notes, Optional.ofNullable(session), lines);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private RunOutcome run(RunRequest request, SandboxBackend backend, AuditLog log, List<SandboxBackend> installed,
            List<String> notes, Optional<EgressSession> session, Consumer<OutputLine> lines) throws SandboxException {
        Map<String, String> environment = new HashMap<>(request.environment());
        session.ifPresent(e -> environment.putAll(e.sentinels()));
        Map<String, String> payload = new HashMap<>(Map.of("phase", "start", "backend", backend.name(), "level",
                backend.level().name(), "tier", request.tier().label(), "command", summary(request.command())));
        request.skill().ifPresent(s -> payload.put("skill", s));
        try {
            log.append("sandbox.exec", request.subject().principal(), payload);
        } catch (AuditException e) {
            return Selector.refuse("the audit log could not record the run, so it did not start: " + e.getMessage(),
                    installed);
        }
        // From here on the start event is on record: every way out records an end, a failed one included.
        Executed done;
        try {
            done = execute(request, backend, lines, notes, session, environment);
        } catch (SandboxException | RuntimeException | Error e) {
            try {
                log.append("sandbox.exec", request.subject().principal(), Map.of("phase", "end", "backend", backend.name(),
                        "ending", "FAILED", "reason", String.valueOf(e.getMessage())));
            } catch (AuditException | RuntimeException a) {
                e.addSuppressed(a);
            }
            throw e;
        }
        ExecResult result = done.result();
        try {
            log.append("sandbox.exec", request.subject().principal(), Map.of("phase", "end", "backend", backend.name(),
                    "ending", result.ending().name(), "exitCode", Integer.toString(result.exitCode()),
                    "elapsedMillis", Long.toString(result.elapsed().toMillis())));
        } catch (AuditException e) {
            notes.add("the audit log could not record how the run ended: " + e.getMessage());
        }
        return new Ran(backend.name(), backend.level(), done.workspace(), done.pooled(), result, notes);
    }

    private record Executed(Path workspace, boolean pooled, ExecResult result) {}

    /** Runs the checked, audited request in a pooled sandbox, the caller's workspace or a fresh one. */
    private Executed execute(RunRequest request, SandboxBackend backend, Consumer<OutputLine> lines, List<String> notes,
            Optional<EgressSession> session, Map<String, String> environment) throws SandboxException {
        WarmPool.Key key = new WarmPool.Key(request.image(), backend.level());
        // a pooled sandbox was started without egress: runs with egress start their own
        Optional<WarmPool.Lease> lease = request.workspace().isPresent() || session.isPresent() ? Optional.empty()
                : pool.take(key, backend.name(), request.limits());
        ExecResult result;
        Path workspace;
        if (request.workspace().isPresent()) {
            notes.add("disk limit not applied to the workspace " + request.workspace().get()
                    + ": only fresh workspaces get a filesystem of their own");
        } else {
            workspaces.quotaUnavailable().ifPresent(why -> notes.add("disk limit covers /tmp only, not the workspace: "
                    + why));
        }
        if (lease.isPresent()) {
            PreparedSandbox sandbox = lease.get().sandbox();
            workspace = sandbox.workspace();
            try {
                result = sandbox.exec(request.command(), request.environment(), lines);
            } finally {
                lease.get().release();
                workspaces.finished(workspace);
            }
        } else if (request.workspace().isPresent()) {
            workspace = request.workspace().get();
            result = backend.run(new SandboxSpec(request.command(), workspace, environment, request.limits(),
                    request.image(), session.map(EgressSession::proxySocket)), lines);
        } else {
            try {
                workspace = workspaces.create(request.limits().diskBytes());
            } catch (IOException e) {
                throw new SandboxException("cannot make a fresh workspace: " + e.getMessage(), e);
            }
            try {
                result = backend.run(new SandboxSpec(request.command(), workspace, environment,
                        request.limits(), request.image(), session.map(EgressSession::proxySocket)), lines);
            } finally {
                workspaces.finished(workspace);
            }
        }
        return new Executed(workspace, lease.isPresent(), result);
    }

    @Override
    public List<PoolStats> pools() {
        List<PoolStats> all = new ArrayList<>(pool.stats());
        backends.forEach(b -> b.ownPool().ifPresent(all::add));
        return all;
    }

    @Override
    public WorkspaceStatus workspaces() {
        return workspaces.status();
    }

    /** The command for the audit trail: its words, cut short; the full text may hold data that is not ours to keep. */
    static String summary(List<String> command) {
        String text = String.join(" ", command);
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
