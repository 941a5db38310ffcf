package org.crustyclaw.agent.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.crustyclaw.agent.store.TaskStore;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.agent.TaskState;
import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.model.Usage;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolDescriptor;

/**
 * The agent loop of one task: a model turn, the tool calls it asked for (each through
 * {@link CallPipeline}), their results back into the conversation, until a final answer or a
 * stop. Everything is persisted as it happens, so {@link #run} on a task that was interrupted
 * continues where it stopped: the conversation is reloaded, an assistant turn whose calls
 * have no results yet gets them (a finished call's recorded result, never a second run).
 */
public final class AgentLoop {

    /** Tunables from {@code [agent]}. */
    public record Settings(int maxResultChars, int maxCallsPerTurn, Duration approvalTimeout) {}

    private final TaskStore store;
    private final LoopServices services;
    private final Settings settings;
    private final EventSink events;
    private final Clock clock;
    private final ExecutorService callThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "agent-tool-call");
        t.setDaemon(true);
        return t;
    });

    public AgentLoop(TaskStore store, LoopServices services, Settings settings, EventSink events, Clock clock) {
        this.store = store;
        this.services = services;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    /** How a run ended. */
    private record Stop(TaskState state, String reason, Optional<String> output) {}

    /** Runs (or continues) the task to a stop and records it. Never throws for model or tool misbehaviour. */
    public void run(String taskId, SkillManifest skill, TaskToolContextFactory contexts, Control control) {
        control.attach(Thread.currentThread());
        Stop stop;
        try {
            stop = loop(taskId, skill, contexts, control);
        } catch (TaskStore.StoreException e) {
            stop = new Stop(TaskState.FAILED, "state database: " + e.getMessage(), Optional.empty());
        } catch (RuntimeException e) {
            stop = new Stop(TaskState.FAILED, "internal error: " + e, Optional.empty());
        } finally {
            control.detach();
            Thread.interrupted(); // a late cancel must not leak into the worker thread's next task
        }
        try {
            store.state(taskId, stop.state(), Optional.of(stop.reason()), stop.output().map(services::scrub));
            events.emit(taskId, TaskEvent.Kind.STATE, stop.state().label() + ": " + stop.reason(),
                    Map.of("state", stop.state().label(), "reason", stop.reason()));
        } catch (TaskStore.StoreException e) {
            // the database is gone: the task shows its last recorded state and can be resumed
        }
    }

    private Stop loop(String taskId, SkillManifest skill, TaskToolContextFactory contexts, Control control) {
        Task task = store.find(taskId).orElseThrow(() -> new IllegalArgumentException("no task '" + taskId + "'"));
        TaskStore.Origin origin = store.origin(taskId);
        List<ChatMessage> conversation = new ArrayList<>(store.messages(taskId));
        if (conversation.isEmpty()) {
            append(taskId, conversation, ChatMessage.system(skill.systemPrompt()));
            append(taskId, conversation, ChatMessage.user(task.input()));
        } else {
            events.emit(taskId, TaskEvent.Kind.NOTE, "resumed with " + conversation.size() + " messages and "
                    + store.calls(taskId).stream().filter(TaskStore.CallRecord::done).count() + " finished tool calls", Map.of());
        }
        state(taskId, TaskState.RUNNING);
        Subject subject = new Subject(origin.requester(), origin.roles(), Optional.of(origin.channel()),
                Optional.of(skill.tier()));
        CallPipeline calls = new CallPipeline(taskId, skill, subject, store, services, settings, events, clock,
                contexts.create(taskId, skill, subject), state -> state(taskId, state));
        Instant started = clock.instant();
        int iterations = task.iterations();
        long tokens = task.inputTokens() + task.outputTokens();
        long cost = task.costMicroUsd();
        while (true) {
            if (control.cancelled()) {
                return new Stop(TaskState.CANCELLED, "cancelled", Optional.empty());
            }
            ChatMessage last = conversation.get(conversation.size() - 1);
            if (last.role() == ChatMessage.Role.ASSISTANT && !last.toolCalls().isEmpty() || hasOpenCalls(conversation)) {
                answerOpenCalls(taskId, conversation, calls, control);
                if (control.cancelled()) {
                    return new Stop(TaskState.CANCELLED, "cancelled", Optional.empty());
                }
                continue;
            }
            if (last.role() == ChatMessage.Role.ASSISTANT) {
                return new Stop(TaskState.SUCCEEDED, "final answer", Optional.of(last.content()));
            }
            Optional<Stop> budget = budget(skill.budgets(), iterations, tokens, cost, started);
            if (budget.isPresent()) {
                return budget.get();
            }
            Optional<ModelProvider> provider = services.provider(skill.model().provider());
            if (provider.isEmpty()) {
                return new Stop(TaskState.FAILED, "provider gone: '" + skill.model().provider() + "' is not installed"
                        + " (installed: " + names(services.providers()) + "); resume the task once it is", Optional.empty());
            }
            Turn turn = turn(taskId, provider.get(), skill, conversation, calls.offered());
            if (turn.failure.isPresent()) {
                if (control.cancelled()) {
                    return new Stop(TaskState.CANCELLED, "cancelled", Optional.empty());
                }
                if (control.goneProvider().isPresent()) {
                    return new Stop(TaskState.FAILED, "provider gone: '" + control.goneProvider().get()
                            + "' was removed mid-stream; resume the task once it is back", Optional.empty());
                }
                return new Stop(TaskState.FAILED, "model call failed: " + turn.failure.get(), Optional.empty());
            }
            iterations++;
            tokens += turn.usage.inputTokens() + turn.usage.outputTokens();
            cost += turn.usage.costMicroUsd();
            store.count(taskId, turn.usage.inputTokens(), turn.usage.outputTokens(), turn.usage.costMicroUsd());
            if (turn.text.isEmpty() && turn.calls.isEmpty()) {
                return new Stop(TaskState.FAILED, "the model returned neither text nor tool calls (stop reason "
                        + turn.stopReason + ")", Optional.empty());
            }
            append(taskId, conversation, ChatMessage.assistant(turn.text, distinctIds(turn.calls)));
        }
    }

    /** Model-made ids may repeat or be blank; the store keys calls by id, so they are made distinct. */
    private static List<ToolUse> distinctIds(List<ToolUse> calls) {
        List<ToolUse> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (ToolUse c : calls) {
            String id = c.id().replaceAll("[^A-Za-z0-9_.-]", "_");
            if (id.length() > 40) {
                id = id.substring(0, 40);
            }
            while (!seen.add(id)) {
                id = id + "_";
            }
            out.add(new ToolUse(id, c.name(), c.argumentsJson()));
        }
        return out;
    }

    private static boolean hasOpenCalls(List<ChatMessage> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            ChatMessage m = conversation.get(i);
            if (m.role() == ChatMessage.Role.ASSISTANT) {
                return !m.toolCalls().isEmpty() && answered(conversation, i) < m.toolCalls().size();
            }
        }
        return false;
    }

    private static int answered(List<ChatMessage> conversation, int assistantIndex) {
        return conversation.size() - 1 - assistantIndex;
    }

    /** Runs the calls of the last assistant turn that have no result message yet, in parallel, results in order. */
    private void answerOpenCalls(String taskId, List<ChatMessage> conversation, CallPipeline calls, Control control) {
        int at = conversation.size() - 1;
        while (conversation.get(at).role() != ChatMessage.Role.ASSISTANT) {
            at--;
        }
        List<ToolUse> uses = conversation.get(at).toolCalls();
        Set<String> done = new java.util.HashSet<>();
        for (int i = at + 1; i < conversation.size(); i++) {
            conversation.get(i).toolCallId().ifPresent(done::add);
        }
        List<ToolUse> open = uses.stream().filter(u -> !done.contains(u.id())).toList();
        boolean tainted = conversation.stream().anyMatch(ChatMessage::untrusted);
        String provenance = CallPipeline.provenance(conversation);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            ToolUse use = open.get(i);
            int index = uses.indexOf(use);
            results.add(open.size() == 1 ? java.util.concurrent.CompletableFuture.completedFuture(
                    calls.handle(use, index, tainted, provenance, control))
                    : callThreads.submit(() -> calls.handle(use, index, tainted, provenance, control)));
        }
        for (int i = 0; i < open.size(); i++) {
            String result;
            try {
                result = results.get(i).get();
            } catch (InterruptedException e) {
                // cancelled: the calls see the interrupt through their own threads' sandboxes
                results.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                result = "the call failed inside the runtime: " + e.getCause();
            }
            append(taskId, conversation, ChatMessage.toolResult(open.get(i).id(), result));
        }
    }

    private Optional<Stop> budget(SkillManifest.Budgets b, int iterations, long tokens, long cost, Instant started) {
        if (iterations >= b.iterations()) {
            return Optional.of(new Stop(TaskState.ESCALATED, "iteration limit: " + iterations + " model turns of "
                    + b.iterations() + " used", Optional.empty()));
        }
        if (tokens >= b.tokens()) {
            return Optional.of(new Stop(TaskState.ESCALATED, "token budget: " + tokens + " tokens of " + b.tokens()
                    + " used", Optional.empty()));
        }
        if (b.costMicroUsd() > 0 && cost >= b.costMicroUsd()) {
            return Optional.of(new Stop(TaskState.ESCALATED, String.format(java.util.Locale.ROOT,
                    "cost budget: $%.4f of $%.4f used", cost / 1e6, b.costMicroUsd() / 1e6), Optional.empty()));
        }
        Duration elapsed = Duration.between(started, clock.instant());
        if (elapsed.compareTo(b.wallClock()) >= 0) {
            return Optional.of(new Stop(TaskState.ESCALATED, "wall-clock budget: " + elapsed.toSeconds() + " s of "
                    + b.wallClock().toSeconds() + " s used", Optional.empty()));
        }
        return Optional.empty();
    }

    /** One model turn's outcome. */
    private static final class Turn {
        final StringBuilder pending = new StringBuilder();
        String text = "";
        final List<ToolUse> calls = new ArrayList<>();
        Usage usage = Usage.NONE;
        String stopReason = "unknown";
        Optional<String> failure = Optional.empty();
    }

    private Turn turn(String taskId, ModelProvider provider, SkillManifest skill, List<ChatMessage> conversation,
            List<ToolDescriptor> tools) {
        Turn turn = new Turn();
        StringBuilder all = new StringBuilder();
        ChatRequest request = new ChatRequest(skill.model().model(), conversation, tools, skill.budgets().maxTokensPerTurn());
        boolean[] ended = {false};
        try {
            provider.chat(request, event -> {
                if (ended[0]) {
                    return; // a provider that sends after its end is ignored, not trusted
                }
                if (event instanceof ChatEvent.TextDelta d) {
                    all.append(d.text());
                    turn.pending.append(d.text());
                    if (turn.pending.length() >= 256 || d.text().indexOf('\n') >= 0) {
                        flush(taskId, turn);
                    }
                } else if (event instanceof ChatEvent.ToolCallRequested r) {
                    turn.calls.add(r.call());
                } else if (event instanceof ChatEvent.Done done) {
                    ended[0] = true;
                    turn.usage = done.usage();
                    turn.stopReason = done.stopReason();
                } else if (event instanceof ChatEvent.Failed f) {
                    ended[0] = true;
                    turn.failure = Optional.of(f.reason());
                }
            });
        } catch (IllegalArgumentException e) {
            turn.failure = Optional.of(e.getMessage());
        }
        flush(taskId, turn);
        if (!ended[0] && turn.failure.isEmpty()) {
            turn.failure = Optional.of("the provider's stream ended without a Done or Failed event");
        }
        turn.text = all.toString();
        return turn;
    }

    private void flush(String taskId, Turn turn) {
        if (turn.pending.length() > 0) {
            events.emit(taskId, TaskEvent.Kind.MODEL_TEXT, turn.pending.toString(), Map.of());
            turn.pending.setLength(0);
        }
    }

    private void append(String taskId, List<ChatMessage> conversation, ChatMessage m) {
        store.appendMessage(taskId, m);
        conversation.add(m);
    }

    private void state(String taskId, TaskState state) {
        store.state(taskId, state, Optional.empty(), Optional.empty());
        events.emit(taskId, TaskEvent.Kind.STATE, state.label(), Map.of("state", state.label()));
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** Makes a call context per task run (the workspace is the task's, kept across resumes). */
    @FunctionalInterface
    public interface TaskToolContextFactory {
        org.crustyclaw.api.tool.ToolContext create(String taskId, SkillManifest skill, Subject subject);
    }

    /** The adapters the model is offered: the manifest's tools that are installed now. */
    static List<ToolDescriptor> offered(SkillManifest skill, LoopServices services) {
        List<ToolDescriptor> out = new ArrayList<>();
        for (String name : skill.tools()) {
            services.tool(name).map(ToolAdapter::descriptor).ifPresent(out::add);
        }
        return out;
    }
}
