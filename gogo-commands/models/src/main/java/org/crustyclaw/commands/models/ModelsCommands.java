package org.crustyclaw.commands.models;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.Arguments;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code models:list}: every installed {@link ModelProvider} (whiteboard), probed at once, with
 * whether its server answers and, when not, why and what to configure. {@code models:chat}: one
 * message to one provider, its reply streamed as it comes (policy action {@code model.chat} on
 * {@code provider.NAME}), to try a configuration.
 */
@Component(service = ModelsCommands.class, property = {"osgi.command.scope=models", "osgi.command.function=list",
        "osgi.command.function=chat"})
public final class ModelsCommands {

    private final List<ModelProvider> providers = new CopyOnWriteArrayList<>();

    @Reference
    private PolicyEngine policy;

    /** One line of {@code models:list}. */
    public record ProviderRow(String provider, boolean reachable, String models, String detail) {}

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(ModelProvider provider) {
        providers.add(provider);
    }

    void removeProvider(ModelProvider provider) {
        providers.remove(provider);
    }

    @Descriptor("lists the model providers, whether each one's server answers, its models, and what to configure when not")
    public void list(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
            boolean json) {
        list(json, System.out);
    }

    void list(boolean json, PrintStream out) {
        List<ProviderRow> rows = rows(List.copyOf(providers));
        String text = Output.render(rows, json);
        if (!json && rows.isEmpty()) {
            text = "(none): no model provider bundle is installed (org.crustyclaw.provider.*)\n";
        }
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }

    @Descriptor("sends one message to a provider and streams its reply; exits 1 when the call fails")
    public void chat(CommandSession session,
            @Descriptor("the model (default: the provider's first configured one)")
            @Parameter(names = "--model", absentValue = "") String model,
            @Descriptor("the reply's token budget") @Parameter(names = "--max-tokens", absentValue = "1024") int maxTokens,
            @Descriptor("print JSON: one object per event") @Parameter(names = "--json", absentValue = "false",
                    presentValue = "true") boolean json,
            @Descriptor("the provider, e.g. ollama, openai, anthropic") String provider,
            @Descriptor("the message") String... text) {
        Principal.Authenticated who = Arguments.principal(session);
        ModelProvider p = providers.stream().filter(x -> x.name().equals(provider)).findFirst()
                .orElseThrow(() -> new CommandFailedException(1, "no model provider named '" + provider + "' is installed;"
                        + " installed: " + providers.stream().map(ModelProvider::name).sorted().toList()));
        if (!(who.authorize(policy, "model.chat", "provider." + provider) instanceof Principal.Authorization.Granted)) {
            throw new CommandFailedException(1, who.name() + " may not chat with provider " + provider
                    + " (policy action model.chat on provider." + provider + ")");
        }
        chat(p, request(p, model, maxTokens, text), json, System.out, System.err);
    }

    static ChatRequest request(ModelProvider p, String model, int maxTokens, String... text) {
        if (text.length == 0) {
            throw new IllegalArgumentException("no message given: models:chat PROVIDER TEXT...");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("--max-tokens " + maxTokens + " is not a positive number");
        }
        String m = !model.isEmpty() ? model : p.models().stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
                "provider " + p.name() + " has no configured models: give --model NAME"));
        return new ChatRequest(m, List.of(ChatMessage.user(String.join(" ", text))), List.of(), maxTokens);
    }

    /** Streams on this thread (Gogo binds System.out to it); fails the command on a Failed ending. */
    static void chat(ModelProvider p, ChatRequest request, boolean json, PrintStream out, PrintStream err) {
        ChatEvent[] end = {null};
        p.chat(request, e -> {
            if (json) {
                out.print(Output.json(view(e)).replaceAll("\\s*\n\\s*", " ") + "\n"); // one event a line
            } else if (e instanceof ChatEvent.TextDelta t) {
                out.print(t.text());
            } else if (e instanceof ChatEvent.ToolCallRequested c) {
                out.print("\n[tool call " + c.call().id() + ": " + c.call().name() + " " + c.call().argumentsJson() + "]\n");
            }
            out.flush();
            if (e instanceof ChatEvent.Done || e instanceof ChatEvent.Failed) {
                end[0] = e;
            }
        });
        if (end[0] instanceof ChatEvent.Done d) {
            if (!json) {
                out.print("\n");
                err.print("done: " + d.stopReason() + ", " + d.usage().inputTokens() + " tokens in, "
                        + d.usage().outputTokens() + " out, " + d.usage().costMicroUsd() + " micro-USD\n");
            }
            out.flush();
            err.flush();
            return;
        }
        String reason = end[0] instanceof ChatEvent.Failed f ? f.reason() : "the provider ended without a reply";
        if (!json) {
            out.print("\n");
            out.flush();
        }
        throw new CommandFailedException(1, "model call failed: " + reason);
    }

    /** One event as a JSON-friendly record. */
    public record EventRow(String event, String text, String id, String tool, String arguments, String stopReason,
            int inputTokens, int outputTokens, long costMicroUsd, boolean retriable) {}

    static EventRow view(ChatEvent e) {
        if (e instanceof ChatEvent.TextDelta t) {
            return new EventRow("text", t.text(), "", "", "", "", 0, 0, 0, false);
        }
        if (e instanceof ChatEvent.ToolCallRequested c) {
            return new EventRow("tool_call", "", c.call().id(), c.call().name(), c.call().argumentsJson(), "", 0, 0, 0, false);
        }
        if (e instanceof ChatEvent.Done d) {
            return new EventRow("done", "", "", "", "", d.stopReason(), d.usage().inputTokens(), d.usage().outputTokens(),
                    d.usage().costMicroUsd(), false);
        }
        ChatEvent.Failed f = (ChatEvent.Failed) e;
        return new EventRow("failed", f.reason(), "", "", "", "", 0, 0, 0, f.retriable());
    }

    /** Probes all providers in parallel: each probe is bounded by that provider's connect timeout. */
    static List<ProviderRow> rows(List<ModelProvider> providers) {
        List<CompletableFuture<ProviderRow>> probes = providers.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> row(p))).toList();
        return probes.stream().map(CompletableFuture::join).sorted(Comparator.comparing(ProviderRow::provider)).toList();
    }

    static ProviderRow row(ModelProvider p) {
        ProviderState state;
        try {
            state = p.state();
        } catch (RuntimeException e) {
            state = new ProviderState(false, "probe failed: " + e);
        }
        List<String> models = p.models();
        return new ProviderRow(p.name(), state.reachable(), models.isEmpty() ? "(any)" : String.join(", ", models),
                state.detail());
    }
}
