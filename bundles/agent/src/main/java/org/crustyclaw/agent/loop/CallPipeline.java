package org.crustyclaw.agent.loop;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.crustyclaw.agent.store.TaskStore;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.agent.TaskState;
import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolDescriptor;
import org.crustyclaw.api.tool.ToolException;
import org.crustyclaw.api.tool.ToolResult;

/**
 * One tool call from model output to the text the model reads back, in this order: a result
 * recorded before a restart is reused; the manifest (tool, egress hosts, secrets), the installed
 * tools and the tool's schema are checked; the policy decides {@code tool.call} on
 * {@code tool.<name>} for the requester under the skill's tier, tainted when the call reaches
 * outside the workspace while untrusted content is in the context; an {@code ask} waits for a
 * human; the call runs through its adapter in the task's sandbox; its result is cut to size,
 * scrubbed and recorded, and only then returned. Every refusal is a sentence the model reads
 * and an audit event; nothing here throws for what a model writes.
 */
final class CallPipeline {

    private static final Pattern URL_HOST = Pattern.compile("\\bhttps?://(?:[^@/\\s]*@)?([A-Za-z0-9.-]+)");
    private static final Pattern SECRET_REF = Pattern.compile("\\$\\{secret:([^}]*)}|\\bsecret://([A-Za-z0-9_.-]+)");

    private final String taskId;
    private final SkillManifest skill;
    private final Subject subject;
    private final TaskStore store;
    private final LoopServices services;
    private final AgentLoop.Settings settings;
    private final EventSink events;
    private final Clock clock;
    private final ToolContext context;
    private final Consumer<TaskState> state;

    CallPipeline(String taskId, SkillManifest skill, Subject subject, TaskStore store, LoopServices services,
            AgentLoop.Settings settings, EventSink events, Clock clock, ToolContext context, Consumer<TaskState> state) {
        this.taskId = taskId;
        this.skill = skill;
        this.subject = subject;
        this.store = store;
        this.services = services;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.context = context;
        this.state = state;
    }

    List<ToolDescriptor> offered() {
        return AgentLoop.offered(skill, services);
    }

    /** Who the untrusted content in the context came from: the tools whose results are in it. */
    static String provenance(List<ChatMessage> conversation) {
        Map<String, String> toolOfCall = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        for (ChatMessage m : conversation) {
            m.toolCalls().forEach(u -> toolOfCall.put(u.id(), u.name()));
            if (m.untrusted()) {
                sources.add(m.toolCallId().map(id -> toolOfCall.getOrDefault(id, "?") + " (call " + id + ")")
                        .orElse(m.role().name().toLowerCase(java.util.Locale.ROOT) + " message"));
            }
        }
        return sources.isEmpty() ? "none" : String.join(", ", sources);
    }

    String handle(ToolUse use, int index, boolean tainted, String provenance, Control control) {
        Optional<TaskStore.CallRecord> before = store.call(taskId, use.id());
        if (before.isPresent()) {
            if (before.get().done()) {
                events.emit(taskId, TaskEvent.Kind.NOTE, "call " + use.id() + " (" + use.name()
                        + ") finished before the restart; its recorded result is used, it does not run again",
                        Map.of("call", use.id(), "tool", use.name()));
                return before.get().result().orElse("");
            }
            return finish(use, "this call was interrupted when the daemon stopped; whether it had any effect is unknown,"
                    + " and it is not run again. Check the workspace before calling it again.", true);
        }
        events.emit(taskId, TaskEvent.Kind.TOOL_CALL, use.name() + " " + shorten(use.argumentsJson(), 2000),
                Map.of("call", use.id(), "tool", use.name(), "tainted", String.valueOf(tainted)));
        if (index >= settings.maxCallsPerTurn()) {
            return refuse(use, "too many tool calls in one turn: at most " + settings.maxCallsPerTurn()
                    + " are run; call the others in the next turn", "limit");
        }
        if (!skill.allowsTool(use.name())) {
            return refuse(use, "tool '" + shorten(use.name(), 80) + "' is not in skill " + skill.name()
                    + "'s manifest; it may call: " + (skill.tools().isEmpty() ? "no tools" : String.join(", ", skill.tools())),
                    "manifest");
        }
        Optional<ToolAdapter> adapter = services.tool(use.name());
        if (adapter.isEmpty()) {
            return refuse(use, "tool '" + use.name() + "' is not installed right now; installed tools of this skill: "
                    + String.join(", ", offered().stream().map(ToolDescriptor::name).toList()), "unknown-tool");
        }
        ToolDescriptor descriptor = adapter.get().descriptor();
        Arguments.Parsed parsed = Arguments.parse(use.argumentsJson(), descriptor.inputSchema());
        if (parsed instanceof Arguments.Invalid invalid) {
            return refuse(use, "call not run: " + invalid.reason(), "arguments");
        }
        Map<String, Object> arguments = ((Arguments.Valid) parsed).arguments();
        Optional<String> outside = outsideManifest(arguments, descriptor);
        if (outside.isPresent()) {
            return refuse(use, outside.get(), "manifest");
        }
        boolean taintedCall = tainted && descriptor.sideEffects() == SideEffects.EXTERNAL;
        Verdict verdict = services.policy().decide(subject.withTainted(taintedCall), "tool.call", "tool." + use.name());
        try {
            services.audit().append("agent.tool_call", subject.principal(), Map.of("task", taskId, "skill", skill.name(),
                    "tool", use.name(), "call", use.id(), "arguments", shorten(use.argumentsJson(), 4000),
                    "side_effects", descriptor.sideEffects().name().toLowerCase(java.util.Locale.ROOT),
                    "tainted", String.valueOf(taintedCall), "provenance", provenance,
                    "effect", verdict.effect().label(), "rule", verdict.rule()));
        } catch (AuditException e) {
            return refuse(use, "call not run: it could not be audited (" + e.getMessage() + ")", "audit");
        }
        if (verdict.effect() == Effect.DENY) {
            return refuse(use, "policy denied tool.call on tool." + use.name() + ": " + verdict.reason(), "policy");
        }
        if (verdict.effect() == Effect.ASK) {
            Optional<String> rejected = approval(use, verdict, taintedCall, provenance, control);
            if (rejected.isPresent()) {
                return refuse(use, rejected.get(), "approval");
            }
        }
        store.startCall(taskId, use.id(), use.name(), use.argumentsJson());
        ToolResult result;
        try {
            result = adapter.get().call(new ToolCall(use.id(), use.name(), arguments), context);
        } catch (ToolException e) {
            result = ToolResult.failed("the tool could not run: " + e.getMessage());
        } catch (RuntimeException e) {
            result = ToolResult.failed("the tool failed: " + e);
        }
        return finish(use, result.text(), result.error());
    }

    /** Egress hosts and secret references outside the manifest, whatever the tool. */
    private Optional<String> outsideManifest(Map<String, Object> arguments, ToolDescriptor descriptor) {
        List<String> strings = new ArrayList<>();
        collect(arguments, strings);
        for (String s : strings) {
            Matcher secret = SECRET_REF.matcher(s);
            while (secret.find()) {
                String name = secret.group(1) != null ? secret.group(1) : secret.group(2);
                if (!skill.allowsSecret(name)) {
                    return Optional.of("secret '" + shorten(name, 64) + "' is not in skill " + skill.name()
                            + "'s manifest; secrets are never shown to the model, and this skill may use: "
                            + (skill.secrets().isEmpty() ? "none" : String.join(", ", skill.secrets())));
                }
            }
            if (descriptor.sideEffects() == SideEffects.EXTERNAL) {
                Matcher url = URL_HOST.matcher(s);
                while (url.find()) {
                    if (!skill.allowsHost(url.group(1))) {
                        return Optional.of("host '" + shorten(url.group(1), 253) + "' is not in skill " + skill.name()
                                + "'s egress hosts: " + (skill.egressHosts().isEmpty() ? "none"
                                        : String.join(", ", skill.egressHosts())));
                    }
                }
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                out.add(String.valueOf(k));
                collect(v, out);
            });
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, out));
        }
    }

    /** Empty when approved; the sentence for the model otherwise. */
    private Optional<String> approval(ToolUse use, Verdict verdict, boolean tainted, String provenance, Control control) {
        String id = approvalId(use);
        Instant now = clock.instant();
        ApprovalRequest request = new ApprovalRequest(id, "tool.call tool." + use.name() + " " + shorten(use.argumentsJson(), 300),
                verdict.reason() + (tainted ? "; untrusted content is in the agent's context (from " + provenance + ")" : ""),
                subject.principal(), verdict.rule(), Optional.of("task " + taskId + ", skill " + skill.name() + ", arguments: "
                        + shorten(use.argumentsJson(), 4000)), now, now.plus(settings.approvalTimeout()));
        // filed first, so whoever sees the event finds the request
        java.util.concurrent.CompletableFuture<Decision> answer = services.approvals()
                .request(request, settings.approvalTimeout()).toCompletableFuture();
        state.accept(TaskState.WAITING_FOR_APPROVAL);
        events.emit(taskId, TaskEvent.Kind.APPROVAL, "waiting for approval " + id + " (crustyclaw review approve " + id
                + "): " + request.what(), Map.of("approval", id, "call", use.id(), "tool", use.name()));
        Decision decision;
        try {
            decision = answer.get(settings.approvalTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            services.approvals().withdraw(id, "task " + taskId + " was " + (control.cancelled() ? "cancelled" : "stopped"));
            Thread.currentThread().interrupt();
            return Optional.of("call not run: the task was " + (control.cancelled() ? "cancelled" : "interrupted")
                    + " while waiting for approval " + id);
        } catch (ExecutionException | TimeoutException e) {
            state.accept(TaskState.RUNNING);
            return Optional.of("call not run: approval " + id + " could not be obtained: " + e.getMessage());
        }
        state.accept(TaskState.RUNNING);
        events.emit(taskId, TaskEvent.Kind.APPROVAL, (decision.approved() ? "approved" : "rejected") + " by "
                + decision.by() + (decision.reason().isBlank() ? "" : ": " + decision.reason()),
                Map.of("approval", id, "approved", String.valueOf(decision.approved())));
        if (decision.approved()) {
            return Optional.empty();
        }
        return Optional.of("call not run: " + decision.by() + " rejected it" + (decision.reason().isBlank() ? ""
                : " (" + decision.reason() + ")") + ". Do not retry it; finish without it or explain what you need.");
    }

    /**
     * The same id for the same call, so a task resumed in a running daemon re-attaches to its
     * request (or gets its answer); a request a restart withdrew is asked again under a new id.
     */
    private String approvalId(ToolUse use) {
        String base = ("t-" + taskId + "-" + use.id()).replaceAll("[^A-Za-z0-9_.-]", "_");
        if (base.length() > 58) {
            base = base.substring(0, 58);
        }
        String id = base;
        for (int n = 2; n < 1000; n++) {
            Optional<Decision> d = services.approvals().decision(id);
            if (d.isEmpty() || !d.get().by().equals("withdrawn")) {
                return id;
            }
            id = base + "-" + n;
        }
        return id;
    }

    private String refuse(ToolUse use, String reason, String why) {
        try {
            services.audit().append("agent.refused", subject.principal(), Map.of("task", taskId, "skill", skill.name(),
                    "tool", shorten(use.name(), 80), "call", use.id(), "why", why, "reason", reason));
        } catch (AuditException e) {
            // the call is refused either way; the refusal is still in the task's record
        }
        store.startCall(taskId, use.id(), shorten(use.name(), 80), shorten(use.argumentsJson(), 4000));
        store.finishCall(taskId, use.id(), reason, true);
        events.emit(taskId, TaskEvent.Kind.REFUSED, reason, Map.of("call", use.id(), "tool", shorten(use.name(), 80),
                "why", why));
        return reason;
    }

    /** Cuts, scrubs and records the result, then hands it back for the model. */
    private String finish(ToolUse use, String raw, boolean error) {
        String text = services.scrub(raw);
        int max = settings.maxResultChars();
        if (text.length() > max) {
            text = text.substring(0, max) + "\n[truncated: " + max + " of " + text.length()
                    + " characters shown; ask for a narrower part]";
        }
        String forModel = error ? "error: " + text : text;
        store.startCall(taskId, use.id(), use.name(), use.argumentsJson());
        store.finishCall(taskId, use.id(), forModel, error);
        events.emit(taskId, TaskEvent.Kind.TOOL_RESULT, shorten(text, 4000), Map.of("call", use.id(), "tool", use.name(),
                "error", String.valueOf(error), "untrusted", "true"));
        return forModel;
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
