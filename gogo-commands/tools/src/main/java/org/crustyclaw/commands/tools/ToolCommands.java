package org.crustyclaw.commands.tools;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolResult;
import org.crustyclaw.commands.format.Arguments;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code tools:list}, {@code tools:show}, {@code tools:call}: the installed {@link ToolAdapter}s
 * (whiteboard) and a user's way to try one. A call is authorized by the policy
 * ({@code tool.call} on {@code tool.<name>}, decision audited), runs in a fresh workspace of
 * the sandbox manager (or a given one), its commands through the manager, and is audited
 * ({@code tool.call}) with its outcome.
 */
@Component(service = ToolCommands.class, property = {"osgi.command.scope=tools", "osgi.command.function=list",
        "osgi.command.function=show", "osgi.command.function=call"})
public final class ToolCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sandboxes sandboxes;
    private final PolicyEngine policy;
    private final AuditLog audit;
    private final Map<String, ToolAdapter> tools = new ConcurrentSkipListMap<>();

    @Activate
    public ToolCommands(@Reference Sandboxes sandboxes, @Reference PolicyEngine policy, @Reference AuditLog audit) {
        this.sandboxes = sandboxes;
        this.policy = policy;
        this.audit = audit;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTool(ToolAdapter tool) {
        tools.put(tool.descriptor().name(), tool);
    }

    void removeTool(ToolAdapter tool) {
        tools.remove(tool.descriptor().name(), tool);
    }

    @Descriptor("lists the installed tools: name, side effects, permissions, description")
    public void list(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false",
            presentValue = "true") boolean json) {
        print(System.out, listing(json));
    }

    String listing(boolean json) {
        return Output.render(tools.values().stream().map(t -> ToolViews.ToolRow.of(t.descriptor())).toList(), json);
    }

    @Descriptor("shows one tool as a model sees it: description, tier, side effects, permissions, JSON schema")
    public void show(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false",
            presentValue = "true") boolean json, @Descriptor("the tool's name") String name) {
        print(System.out, showing(name, json));
    }

    String showing(String name, boolean json) {
        return Output.render(ToolViews.ToolView.of(tool(name).descriptor()), json);
    }

    @Descriptor("calls a tool with JSON arguments in a fresh workspace sandbox, under policy and audit")
    public void call(CommandSession session,
            @Descriptor("trust tier of the sandbox its commands run in (default trusted)")
            @Parameter(names = "--tier", absentValue = "trusted") String tier,
            @Descriptor("an existing directory to work in (default: a fresh workspace)")
            @Parameter(names = "--workspace", absentValue = "") String workspace,
            @Descriptor("the image of the sandbox: base or build") @Parameter(names = "--image",
                    absentValue = "base") String image,
            @Descriptor("most characters of the result (default 20000)")
            @Parameter(names = "--max-output", absentValue = "20000") String maxOutput,
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
            boolean json,
            @Descriptor("the tool's name") String name,
            @Descriptor("the arguments as a JSON object, e.g. '{\"path\":\"README.md\"}'") String arguments) {
        Optional<Path> dir = Optional.empty();
        if (!workspace.isEmpty()) {
            Path p = Arguments.path(session, workspace);
            if (!Files.isDirectory(p)) {
                throw usage("--workspace " + workspace + " is not an existing directory");
            }
            dir = Optional.of(p);
        }
        call(Arguments.principal(session), name, arguments, tier, dir, image, maxOutput, json, System.out,
                System.err);
    }

    /**
     * The call, printed: progress lines on {@code err} as they come (printed on this thread:
     * Gogo binds {@code System.out} to the writing thread), then the result.
     */
    void call(Principal.Authenticated who, String name, String arguments, String tierText, Optional<Path> dir,
            String image, String maxOutput, boolean json, PrintStream out, PrintStream err) {
        ToolAdapter tool = tool(name);
        Map<String, Object> args = arguments(arguments);
        TrustTier tier;
        try {
            tier = TrustTier.parse(tierText);
        } catch (IllegalArgumentException e) {
            throw usage("--tier: " + e.getMessage());
        }
        int max;
        try {
            max = Integer.parseInt(maxOutput);
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 100 || max > 10_000_000) {
            throw usage("--max-output '" + maxOutput + "' is not a number of characters from 100 to 10000000");
        }
        String resource = "tool." + name;
        Principal.Authorization decision = who.authorize(policy, "tool.call", resource);
        if (decision instanceof Principal.Authorization.Refused r) {
            throw new CommandFailedException(1, "denied: tool.call on " + resource + " (rule " + r.verdict().rule()
                    + "): " + r.verdict().reason());
        }
        if (decision instanceof Principal.Authorization.NeedsApproval a) {
            throw new CommandFailedException(1, "tool.call on " + resource + " needs a human's approval (rule "
                    + a.verdict().rule() + "); tools call does not wait for one: ask an operator to allow it in the"
                    + " policy");
        }
        Subject subject = who.subject(Optional.of(tier));
        Path ws;
        try {
            ws = dir.isPresent() ? dir.get() : CommandToolContext.freshWorkspace(sandboxes, subject, tier, image);
        } catch (SandboxException e) {
            throw new CommandFailedException(1, "error: " + e.getMessage());
        }
        String callId = "tools-call-" + UUID.randomUUID().toString().substring(0, 8);
        BlockingQueue<Optional<String>> progress = new LinkedBlockingQueue<>();
        CommandToolContext context = new CommandToolContext(sandboxes, subject, tier, ws, image, max, callId,
                line -> progress.add(Optional.of(line)));
        CompletableFuture<ToolResult> done = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                done.complete(tool.call(new ToolCall(callId, name, args), context));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                progress.add(Optional.empty());
            }
        }, "tools-call-" + name);
        runner.start();
        boolean interrupted = false;
        for (;;) {
            Optional<String> line;
            try {
                line = progress.take();
            } catch (InterruptedException e) {
                interrupted = true;
                runner.interrupt(); // the sandbox run is cancelled; the end still comes through the queue
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            if (!json) {
                err.println(line.get());
                err.flush();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        ToolResult result;
        try {
            result = done.join();
        } catch (CompletionException e) {
            record(who, name, callId, ws, Optional.empty());
            throw new CommandFailedException(1, "error: tool " + name + " could not run: "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        }
        record(who, name, callId, ws, Optional.of(result));
        print(out, json ? Output.json(new ToolViews.CallView(name, callId, ws.toString(), result.error(),
                result.text())) : result.text());
        if (result.error()) {
            throw new CommandFailedException(1, "tool " + name + " returned an error (see above)");
        }
    }

    /** Audits the call; when the audit log cannot take it the command fails (closed). */
    private void record(Principal.Authenticated who, String name, String callId, Path ws, Optional<ToolResult> r) {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("tool", name);
        payload.put("call_id", callId);
        payload.put("workspace", ws.toString());
        payload.put("outcome", r.map(x -> x.error() ? "error" : "ok").orElse("could-not-run"));
        payload.put("result_chars", Integer.toString(r.map(x -> x.text().length()).orElse(0)));
        try {
            audit.append("tool.call", who.name(), payload);
        } catch (AuditException e) {
            throw new CommandFailedException(1, "error: the tool call ran but could not be audited: " + e.getMessage());
        }
    }

    private ToolAdapter tool(String name) {
        ToolAdapter t = tools.get(name);
        if (t == null) {
            throw usage("no tool '" + name + "'; the tools are: " + (tools.isEmpty() ? "(none installed)"
                    : String.join(", ", tools.keySet())));
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> arguments(String text) {
        Object parsed;
        try {
            parsed = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw usage("arguments '" + clip(text) + "' are not JSON: " + e.getOriginalMessage()
                    + "; expected an object such as '{\"path\":\"README.md\"}'");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw usage("arguments '" + clip(text) + "' are not a JSON object; expected an object such as"
                    + " '{\"path\":\"README.md\"}'");
        }
        return (Map<String, Object>) map;
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static CommandFailedException usage(String message) {
        return new CommandFailedException(2, "usage error: " + message);
    }

    private static void print(PrintStream stream, String text) {
        stream.print(text.endsWith("\n") ? text : text + "\n");
        stream.flush();
    }
}
