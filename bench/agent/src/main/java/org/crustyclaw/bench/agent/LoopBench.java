package org.crustyclaw.bench.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.crustyclaw.agent.loop.AgentLoop;
import org.crustyclaw.agent.loop.Control;
import org.crustyclaw.agent.loop.LoopServices;
import org.crustyclaw.agent.store.TaskStore;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.TaskState;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.model.Usage;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolDescriptor;
import org.crustyclaw.api.tool.ToolResult;
import org.crustyclaw.security.approval.SqliteApprovals;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.policy.PolicyService;

/** Loop overhead per tool-call round trip against the direct adapter call; prints figures, asserts nothing. */
public final class LoopBench {

    private static final ToolDescriptor NOOP = new ToolDescriptor("noop", "returns ok at once",
            "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"],"
                    + "\"additionalProperties\":false}", TrustTier.TRUSTED, List.of(), SideEffects.NONE);

    private static final ToolAdapter TOOL = new ToolAdapter() {
        @Override
        public ToolDescriptor descriptor() {
            return NOOP;
        }

        @Override
        public ToolResult call(ToolCall call, ToolContext context) {
            return ToolResult.ok("ok " + call.arguments().get("n"));
        }
    };

    /** Answers at once: a tool call per turn until {@code rounds}, then text. The model is not what is measured. */
    static final class InstantModel implements ModelProvider {
        final int rounds;

        InstantModel(int rounds) {
            this.rounds = rounds;
        }

        @Override
        public String name() {
            return "bench";
        }

        @Override
        public List<String> models() {
            return List.of("instant");
        }

        @Override
        public ProviderState state() {
            return new ProviderState(true, "in-process bench model");
        }

        @Override
        public void chat(ChatRequest request, Consumer<ChatEvent> events) {
            long done = request.messages().stream().filter(m -> m.role() == ChatMessage.Role.TOOL).count();
            if (done < rounds) {
                events.accept(new ChatEvent.ToolCallRequested(new ToolUse("c" + done, "noop", "{\"n\":" + done + "}")));
            } else {
                events.accept(new ChatEvent.TextDelta("done"));
            }
            events.accept(new ChatEvent.Done(new Usage(10, 5, 0), "stop"));
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 200);
        int runs = Integer.getInteger("bench.runs", 5);
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        Path dir = Files.createTempDirectory(base, "crustyclaw-bench-agent-");
        Path db = dir.resolve("crustyclaw.db");
        SqliteAuditLog audit = new SqliteAuditLog(db, s -> s, Duration.ofSeconds(10));
        PolicyService policy = new PolicyService(audit);
        policy.apply("crustyclaw.toml", """
                [[policy.rules]]
                id = "bench"
                role = "dev"
                action = "tool.call"
                resource = "tool.*"
                effect = "allow"
                """);
        SqliteApprovals approvals = new SqliteApprovals(db, audit, policy, Clock.systemUTC());
        TaskStore store = new TaskStore(db, Clock.systemUTC());
        InstantModel model = new InstantModel(rounds);
        LoopServices services = new LoopServices() {
            public Optional<ModelProvider> provider(String name) {
                return Optional.of(model);
            }

            public List<String> providers() {
                return List.of("bench");
            }

            public Optional<ToolAdapter> tool(String name) {
                return name.equals("noop") ? Optional.of(TOOL) : Optional.empty();
            }

            public PolicyEngine policy() {
                return policy;
            }

            public AuditLog audit() {
                return audit;
            }

            public Approvals approvals() {
                return approvals;
            }

            public Sandboxes sandboxes() {
                throw new UnsupportedOperationException("the sandbox is excluded");
            }

            public String scrub(String text) {
                return text;
            }
        };
        AgentLoop loop = new AgentLoop(store, services, new AgentLoop.Settings(16384, 8, Duration.ofMinutes(1)),
                (task, kind, text, detail) -> store.appendEvent(task, kind, text, detail), Clock.systemUTC());
        SkillManifest skill = new SkillManifest("bench", "loop bench", "1.0.0", TrustTier.TRUSTED,
                new SkillManifest.ModelChoice("bench", "instant"), "bench", List.of("noop"), List.of(), List.of(),
                ResourceLimits.DEFAULT, new SkillManifest.Budgets(rounds + 2, Long.MAX_VALUE, Duration.ofHours(1), 0, 64),
                SkillManifest.Review.NONE, "bench");
        ToolContext context = context(dir);

        List<Double> loopMs = new ArrayList<>();
        List<Double> directUs = new ArrayList<>();
        for (int run = 0; run <= runs; run++) { // run 0 warms up
            String id = "bench" + run;
            store.create(id, "bench", new TaskStore.Origin("bench", Set.of("dev"), "bench", Optional.of(dir)), "go");
            long t0 = System.nanoTime();
            loop.run(id, skill, (task, s, subject) -> context, new Control());
            long loopNanos = System.nanoTime() - t0;
            if (store.find(id).orElseThrow().state() != TaskState.SUCCEEDED) {
                throw new IllegalStateException("bench task ended " + store.find(id).orElseThrow());
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                TOOL.call(new ToolCall("d" + i, "noop", Map.of("n", i)), context);
            }
            long directNanos = System.nanoTime() - t1;
            if (run > 0) {
                loopMs.add(loopNanos / 1e6 / rounds);
                directUs.add(directNanos / 1e3 / rounds);
            }
        }
        Collections.sort(loopMs);
        Collections.sort(directUs);
        System.out.printf("agent loop, %d tool-call round trips per run, %d runs, state database in %s%n", rounds, runs, base);
        System.out.printf("  loop round trip      median %.3f ms   p90 %.3f ms   (target < 2 ms)%n", median(loopMs),
                loopMs.get((int) Math.ceil(loopMs.size() * 0.9) - 1));
        System.out.printf("  direct adapter call  median %.4f ms%n", median(directUs) / 1000);
        System.out.printf("  overhead             median %.3f ms per round trip%n", median(loopMs) - median(directUs) / 1000);
        store.close();
        approvals.close();
        audit.close();
    }

    private static double median(List<Double> sorted) {
        return sorted.get(sorted.size() / 2);
    }

    private static ToolContext context(Path dir) {
        return new ToolContext() {
            public Path workspace() {
                return dir;
            }

            public String taskId() {
                return "bench";
            }

            public TrustTier tier() {
                return TrustTier.TRUSTED;
            }

            public ExecResult exec(List<String> command, Map<String, String> env, Consumer<OutputLine> lines)
                    throws SandboxException {
                throw new SandboxException("the sandbox is excluded from this bench");
            }

            public void progress(String line) {}

            public int maxOutputChars() {
                return 16384;
            }
        };
    }
}
