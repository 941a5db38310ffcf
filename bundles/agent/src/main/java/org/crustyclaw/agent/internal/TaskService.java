package org.crustyclaw.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.crustyclaw.agent.loop.AgentLoop;
import org.crustyclaw.agent.loop.Control;
import org.crustyclaw.agent.loop.LoopServices;
import org.crustyclaw.agent.loop.TaskToolContexts;
import org.crustyclaw.agent.store.TaskStore;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.Skills;
import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.agent.TaskRequest;
import org.crustyclaw.api.agent.TaskState;
import org.crustyclaw.api.agent.Tasks;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.secret.Redaction;
import org.crustyclaw.api.tool.ToolAdapter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link Tasks} service: a queue of skill runs on a few worker threads, each an
 * {@link AgentLoop} over the task store in the state database. At start-up, tasks a killed
 * daemon left running are marked failed ({@code interrupted}) so {@code tasks resume} can
 * continue them; tasks waiting for an approval are continued at once, re-attached to their
 * pending request, so an answer given while nobody follows still lets them go on.
 */
@Component(service = Tasks.class, configurationPid = AgentConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AgentConfig.class)
public final class TaskService implements Tasks, LoopServices {

    private static final System.Logger LOG = System.getLogger(TaskService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Skills skills;
    private final PolicyEngine policy;
    private final AuditLog audit;
    private final Approvals approvals;
    private final Sandboxes sandboxes;
    private final Redaction redaction;
    private final TaskStore store;
    private final AgentLoop loop;
    private final TaskToolContexts contexts;
    private final ExecutorService workers;
    private final Map<String, Control> running = new ConcurrentHashMap<>();
    private final Map<String, ModelProvider> providers = new ConcurrentHashMap<>();
    private final Map<String, ToolAdapter> tools = new ConcurrentHashMap<>();
    private final Object signal = new Object();

    @Activate
    public TaskService(BundleContext context, AgentConfig config, @Reference Skills skills, @Reference PolicyEngine policy,
            @Reference AuditLog audit, @Reference Approvals approvals, @Reference Sandboxes sandboxes,
            @Reference Redaction redaction) throws SQLException, IOException {
        this.skills = skills;
        this.policy = policy;
        this.audit = audit;
        this.approvals = approvals;
        this.sandboxes = sandboxes;
        this.redaction = redaction;
        String state = context.getProperty("crustyclaw.state.dir");
        if (state == null || state.isBlank()) {
            throw new IllegalStateException("framework property crustyclaw.state.dir is not set: expected the state directory");
        }
        this.store = new TaskStore(Path.of(state).resolve("crustyclaw.db"), Clock.systemUTC());
        this.contexts = new TaskToolContexts(store, sandboxes, taskWorkspaces(Path.of(state)), config.maxResultChars(),
                (task, line) -> emit(task, TaskEvent.Kind.NOTE, line, Map.of("progress", "true")));
        this.loop = new AgentLoop(store, this, new AgentLoop.Settings(config.maxResultChars(), config.maxCallsPerTurn(),
                Duration.ofMinutes(config.approvalTimeoutMinutes())), this::emit, Clock.systemUTC());
        this.workers = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "agent-task");
            t.setDaemon(true);
            return t;
        });
        recover();
    }

    /** One directory per state directory, beside the sandbox workspaces, readable by the sandbox user. */
    private static Path taskWorkspaces(Path state) throws IOException {
        String digest = Integer.toHexString(state.toAbsolutePath().normalize().toString().hashCode());
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "crustyclaw-tasks-" + digest);
        Files.createDirectories(dir);
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("task workspace directory " + dir + " is a symbolic link or not a directory");
        }
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != me) {
            throw new IOException("task workspace directory " + dir + " belongs to uid " + owner + ", not " + me);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return dir;
    }

    private void recover() {
        for (Task t : store.inStates(Set.of(TaskState.RUNNING, TaskState.QUEUED))) {
            store.state(t.id(), TaskState.FAILED, Optional.of("interrupted: the daemon stopped while the task ran;"
                    + " 'crustyclaw tasks resume " + t.id() + "' continues it"), Optional.empty());
            emit(t.id(), TaskEvent.Kind.STATE, "failed: interrupted by a daemon stop", Map.of("state", "failed"));
        }
        for (Task t : store.inStates(Set.of(TaskState.WAITING_FOR_APPROVAL))) {
            start(t.id(), t.skill());
        }
    }

    @Deactivate
    void deactivate() {
        running.values().forEach(Control::cancel);
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(ModelProvider provider) {
        providers.put(provider.name(), provider);
    }

    void removeProvider(ModelProvider provider) {
        if (providers.remove(provider.name(), provider)) {
            running.values().forEach(c -> c.providerGone(provider.name()));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTool(ToolAdapter tool) {
        tools.put(tool.descriptor().name(), tool);
    }

    void removeTool(ToolAdapter tool) {
        tools.remove(tool.descriptor().name(), tool);
    }

    @Override
    public Task submit(TaskRequest request) {
        SkillManifest skill = skills.find(request.skill()).orElseThrow(() -> new IllegalArgumentException("unknown skill '"
                + request.skill() + "'; skills: " + String.join(", ", skills.list().stream().map(SkillManifest::name).toList())
                + " ('crustyclaw skills list')"));
        requireProvider(skill);
        String id = newId();
        Task task = store.create(id, skill.name(), new TaskStore.Origin(request.requester().name(),
                request.requester().roles(), request.requester().channel(), request.workspace()), request.input());
        emit(id, TaskEvent.Kind.STATE, "queued: skill " + skill.name() + " for " + request.requester().name(),
                Map.of("state", "queued"));
        start(id, skill.name());
        return task;
    }

    /** Refuses a run whose model nobody can answer, naming every provider tried and how to configure one. */
    private void requireProvider(SkillManifest skill) {
        String wanted = skill.model().provider();
        ModelProvider provider = providers.get(wanted);
        ProviderState state = provider == null ? null : provider.state();
        if (state != null && state.reachable()) {
            return;
        }
        StringBuilder tried = new StringBuilder();
        tried.append("skill ").append(skill.name()).append(" needs provider '").append(wanted).append("' (model ")
                .append(skill.model().model()).append("), which ")
                .append(provider == null ? "is not installed" : "is not reachable: " + state.detail()).append('.');
        for (ModelProvider other : providers.values()) {
            if (other != provider) {
                ProviderState s = other.state();
                tried.append("\n  ").append(other.name()).append(": ").append(s.reachable() ? "reachable" : "unreachable")
                        .append(" - ").append(s.detail());
            }
        }
        if (providers.isEmpty()) {
            tried.append("\n  no model provider is installed");
        }
        tried.append("\nConfigure one in crustyclaw.toml, e.g. [provider.openai] base_url = \"https://api.openai.com/v1\""
                + " with its key set by 'crustyclaw secrets set', or [provider.ollama] base_url = \"http://127.0.0.1:11434\";"
                + " 'crustyclaw models list' shows each provider's state (docs/models.md).");
        throw new IllegalStateException(tried.toString());
    }

    private void start(String id, String skillName) {
        Control control = new Control();
        if (running.putIfAbsent(id, control) != null) {
            throw new IllegalArgumentException("task " + id + " is already running");
        }
        workers.submit(() -> {
            try {
                Optional<SkillManifest> skill = skills.find(skillName);
                if (skill.isEmpty()) {
                    store.state(id, TaskState.FAILED, Optional.of("skill '" + skillName + "' is no longer installed"),
                            Optional.empty());
                    emit(id, TaskEvent.Kind.STATE, "failed: skill " + skillName + " is gone", Map.of("state", "failed"));
                } else if (control.cancelled()) {
                    store.state(id, TaskState.CANCELLED, Optional.of("cancelled"), Optional.empty());
                    emit(id, TaskEvent.Kind.STATE, "cancelled: cancelled", Map.of("state", "cancelled"));
                } else {
                    loop.run(id, skill.get(), contexts, control);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "task " + id + " failed: " + e, e);
            } finally {
                running.remove(id);
                wake();
            }
        });
    }

    private static String newId() {
        String alphabet = "abcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder id = new StringBuilder("t");
        for (int i = 0; i < 10; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    @Override
    public List<Task> list(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return store.list(limit);
    }

    @Override
    public Optional<Task> find(String id) {
        return store.find(Task.requireId(id));
    }

    @Override
    public List<TaskEvent> events(String id, long afterSeq) {
        return store.events(Task.requireId(id), afterSeq);
    }

    @Override
    public void follow(String id, long afterSeq, Consumer<TaskEvent> sink) throws InterruptedException {
        require(id);
        long seq = afterSeq;
        while (true) {
            List<TaskEvent> next = store.events(id, seq);
            if (!next.isEmpty()) {
                for (TaskEvent e : next) {
                    sink.accept(e);
                    seq = e.seq();
                }
                continue;
            }
            synchronized (signal) {
                // checked again under the lock: an event appended since is never missed
                if (!store.events(id, seq).isEmpty()) {
                    continue;
                }
                if (isEnded(id)) {
                    return;
                }
                signal.wait(5_000); // every event wakes it; the timeout only bounds a lost wake-up
            }
        }
    }

    private boolean isEnded(String id) {
        Task t = store.find(id).orElseThrow();
        return t.state().terminal() && !running.containsKey(id);
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public Task cancel(String id) {
        Task t = require(id);
        Control c = running.get(id);
        if (c == null) {
            if (t.state().terminal()) {
                throw new IllegalArgumentException("task " + id + " has ended (" + t.state().label() + "); nothing to cancel");
            }
            store.state(id, TaskState.CANCELLED, Optional.of("cancelled"), Optional.empty());
            emit(id, TaskEvent.Kind.STATE, "cancelled: cancelled", Map.of("state", "cancelled"));
        } else {
            c.cancel();
        }
        return store.find(id).orElseThrow();
    }

    @Override
    public Task resume(String id) {
        Task t = require(id);
        if (running.containsKey(id)) {
            throw new IllegalArgumentException("task " + id + " is running (" + t.state().label() + "); nothing to resume");
        }
        if (t.state() == TaskState.SUCCEEDED) {
            throw new IllegalArgumentException("task " + id + " succeeded; nothing to resume");
        }
        SkillManifest skill = skills.find(t.skill()).orElseThrow(() -> new IllegalArgumentException("task " + id
                + "'s skill '" + t.skill() + "' is not installed"));
        requireProvider(skill);
        store.state(id, TaskState.QUEUED, Optional.empty(), Optional.empty());
        emit(id, TaskEvent.Kind.STATE, "queued: resumed", Map.of("state", "queued"));
        start(id, t.skill());
        return store.find(id).orElseThrow();
    }

    private Task require(String id) {
        return store.find(Task.requireId(id)).orElseThrow(() -> new IllegalArgumentException("no task '" + id
                + "' ('crustyclaw tasks list' shows them)"));
    }

    private void emit(String taskId, TaskEvent.Kind kind, String text, Map<String, String> detail) {
        store.appendEvent(taskId, kind, text, detail);
        wake();
    }

    // LoopServices

    @Override
    public Optional<ModelProvider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    @Override
    public List<String> providers() {
        return new ArrayList<>(new java.util.TreeSet<>(providers.keySet()));
    }

    @Override
    public Optional<ToolAdapter> tool(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    @Override
    public PolicyEngine policy() {
        return policy;
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    @Override
    public Approvals approvals() {
        return approvals;
    }

    @Override
    public Sandboxes sandboxes() {
        return sandboxes;
    }

    @Override
    public String scrub(String text) {
        return redaction.scrub(text);
    }
}
