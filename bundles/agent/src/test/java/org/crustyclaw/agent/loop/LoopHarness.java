package org.crustyclaw.agent.loop;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.crustyclaw.agent.store.TaskStore;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolDescriptor;
import org.crustyclaw.api.tool.ToolResult;
import org.crustyclaw.provider.openai.OpenAiProvider;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer;
import org.crustyclaw.security.approval.SqliteApprovals;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.policy.PolicyService;

/**
 * The loop's real peers: the OpenAI-compatible provider against its wire-format server, the
 * security bundle's policy engine, audit log and approvals on a SQLite file, the task store on
 * the same file. Tools are small adapters written here that count their calls.
 */
final class LoopHarness implements AutoCloseable, LoopServices {

    static final String POLICY = """
            [[policy.rules]]
            id = "devs-use-tools"
            role = "dev"
            action = "tool.call"
            resource = "tool.*"
            effect = "allow"

            [[policy.rules]]
            id = "tainted-external-asks"
            role = "*"
            action = "tool.call"
            resource = "tool.*"
            tainted = true
            effect = "ask"
            priority = 10

            [[policy.rules]]
            id = "admins-approve"
            role = "admin"
            action = "review.approve"
            resource = "*"
            effect = "allow"
            """;

    final OpenAiWireServer server;
    final ModelProvider provider;
    final SqliteAuditLog audit;
    final PolicyService policy;
    final SqliteApprovals approvals;
    final TaskStore store;
    final Map<String, ToolAdapter> tools = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    final java.util.concurrent.BlockingQueue<TaskEvent> approvalsAsked = new java.util.concurrent.LinkedBlockingQueue<>();
    final List<Map<String, Object>> noteArguments = new CopyOnWriteArrayList<>();
    volatile boolean providerInstalled = true;
    final AgentLoop loop;

    LoopHarness(Path dir, List<OpenAiWireServer.Turn> script) throws Exception {
        server = OpenAiWireServer.start(script);
        provider = new OpenAiProvider(config(server.baseUrl().toString()));
        Path db = dir.resolve("crustyclaw.db");
        audit = new SqliteAuditLog(db, s -> s, Duration.ofSeconds(10));
        policy = new PolicyService(audit);
        policy.apply("crustyclaw.toml", POLICY);
        approvals = new SqliteApprovals(db, audit, policy, Clock.systemUTC());
        store = new TaskStore(db, Clock.systemUTC());
        loop = new AgentLoop(store, this, new AgentLoop.Settings(200, 4, Duration.ofMinutes(5)), (task, kind, text, detail) -> {
            TaskEvent e = store.appendEvent(task, kind, text, detail);
            events.add(e);
            if (kind == TaskEvent.Kind.APPROVAL && detail.containsKey("call") && !detail.containsKey("approved")) {
                approvalsAsked.add(e);
            }
        }, Clock.systemUTC());
        tool("file_read", SideEffects.NONE, args -> "README.md:\n" + readme);
        tool("note", SideEffects.WORKSPACE, args -> {
            noteArguments.add(args);
            return "noted " + args.get("text");
        });
        tool("git_push", SideEffects.EXTERNAL, args -> "pushed " + args.get("branch"));
        tool("big", SideEffects.NONE, args -> "x".repeat(1000));
    }

    volatile String readme = "A small project.";

    void tool(String name, SideEffects effects, java.util.function.Function<Map<String, Object>, String> body) {
        calls.put(name, new AtomicInteger());
        ToolDescriptor d = new ToolDescriptor(name, "test tool " + name, """
                {"type":"object","properties":{"path":{"type":"string"},"text":{"type":"string"},"branch":{"type":"string"}},
                 "additionalProperties":false}""", TrustTier.TRUSTED, List.of(), effects);
        tools.put(name, new ToolAdapter() {
            @Override
            public ToolDescriptor descriptor() {
                return d;
            }

            @Override
            public ToolResult call(ToolCall call, ToolContext context) {
                calls.get(name).incrementAndGet();
                return ToolResult.ok(body.apply(call.arguments()));
            }
        });
    }

    static SkillManifest skill(List<String> tools, int iterations) {
        return new SkillManifest("test-skill", "a skill under test", "1.0.0", TrustTier.TRUSTED,
                new SkillManifest.ModelChoice("openai", "gpt-test"), "You are tested.", tools, List.of("api.example.org"),
                List.of("allowed-token"), ResourceLimits.DEFAULT,
                new SkillManifest.Budgets(iterations, 1_000_000, Duration.ofMinutes(5), 0, 256),
                SkillManifest.Review.NONE, "test");
    }

    String submit(String input) {
        String id = "t" + Long.toHexString(System.nanoTime());
        store.create(id, "test-skill", new TaskStore.Origin("ann", java.util.Set.of("dev"), "cli", Optional.empty()), input);
        return id;
    }

    void run(String id, SkillManifest skill) {
        run(id, skill, new Control());
    }

    void run(String id, SkillManifest skill, Control control) {
        loop.run(id, skill, (task, s, subject) -> context(task), control);
    }

    private static ToolContext context(String task) {
        return new ToolContext() {
            @Override
            public Path workspace() {
                return Path.of("/nonexistent-workspace");
            }

            @Override
            public String taskId() {
                return task;
            }

            @Override
            public TrustTier tier() {
                return TrustTier.TRUSTED;
            }

            @Override
            public org.crustyclaw.api.sandbox.ExecResult exec(List<String> command, Map<String, String> env,
                    java.util.function.Consumer<org.crustyclaw.api.sandbox.OutputLine> lines)
                    throws org.crustyclaw.api.sandbox.SandboxException {
                throw new org.crustyclaw.api.sandbox.SandboxException("no sandbox in this test");
            }

            @Override
            public void progress(String line) {}

            @Override
            public int maxOutputChars() {
                return 200;
            }
        };
    }

    private static OpenAiProvider.Config config(String baseUrl) {
        return (OpenAiProvider.Config) Proxy.newProxyInstance(OpenAiProvider.Config.class.getClassLoader(),
                new Class<?>[] {OpenAiProvider.Config.class}, (p, m, a) -> switch (m.getName()) {
                    case "baseUrl" -> baseUrl;
                    case "maxRetries" -> 0;
                    case "annotationType" -> OpenAiProvider.Config.class;
                    default -> m.getDefaultValue();
                });
    }

    @Override
    public Optional<ModelProvider> provider(String name) {
        return providerInstalled && name.equals("openai") ? Optional.of(provider) : Optional.empty();
    }

    @Override
    public List<String> providers() {
        return providerInstalled ? List.of("openai") : List.of();
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
        throw new UnsupportedOperationException("no sandbox in this test");
    }

    @Override
    public String scrub(String text) {
        return text.replace("sk-live-SECRET", "<redacted>");
    }

    Subject subject() {
        return new Subject("ann", java.util.Set.of("dev"), Optional.of("cli"), Optional.of(TrustTier.TRUSTED));
    }

    @Override
    public void close() {
        store.close();
        approvals.close();
        audit.close();
        server.close();
    }
}
