package org.crustyclaw.router;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.agent.Tasks;
import org.crustyclaw.api.channel.Channel;
import org.crustyclaw.api.channel.InboundMessage;
import org.crustyclaw.api.channel.OutboundMessage;
import org.crustyclaw.api.channel.Router;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.runtime.Daemon;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The core's {@link Router}: a message from any channel is a command ({@code status},
 * {@code approve ID}, ...), authorized by the policy as {@code channel.command} on
 * {@code command.<verb>} (the decision is audited by the engine), carried out through the
 * services every other front end uses, and answered in the same conversation. Pending
 * approvals are offered to the operators named in {@code notify}.
 */
@Component(configurationPid = RouterService.PID)
@Designate(ocd = RouterService.Config.class)
public final class RouterService implements Router {

    static final String PID = "org.crustyclaw.router";
    static final String ACTION = "channel.command";
    private static final System.Logger LOG = System.getLogger(RouterService.class.getName());

    @ObjectClassDefinition(name = "Router", description = "Commands sent through channels (Signal, ...).")
    public @interface Config {
        @AttributeDefinition(description = "Who is told of each new pending approval, as channel:recipient"
                + " (e.g. signal:+4915112345678); they answer with 'approve ID' or 'reject ID reason'.")
        String[] notifyTo() default {};

        @AttributeDefinition(description = "How often pending approvals are checked for ones not yet offered (ms).")
        long approvalPollMillis() default 2000;
    }

    private final PolicyEngine policy;
    private final Approvals approvals;
    private final Commands commands;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Set<String> offered = ConcurrentHashMap.newKeySet();
    private final List<Recipient> notify;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "crustyclaw-router"));
    private final ScheduledExecutorService offers = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "crustyclaw-router-offers"));
    private volatile Sandboxes sandboxes;
    private volatile Daemon daemon;
    private volatile Tasks tasks;
    private final ExecutorService followers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "crustyclaw-router-follow");
        t.setDaemon(true);
        return t;
    });

    record Recipient(String channel, String id) {
        static Recipient parse(String spec) {
            int colon = spec.indexOf(':');
            if (colon < 1 || colon == spec.length() - 1) {
                throw new IllegalArgumentException("notify entry '" + spec
                        + "' is not channel:recipient, e.g. signal:+4915112345678");
            }
            return new Recipient(spec.substring(0, colon), spec.substring(colon + 1));
        }
    }

    @Activate
    public RouterService(@Reference PolicyEngine policy, @Reference Approvals approvals, Config config) {
        this.policy = policy;
        this.approvals = approvals;
        this.notify = List.of(config.notifyTo()).stream().map(Recipient::parse).toList();
        if (config.approvalPollMillis() < 100) {
            throw new IllegalArgumentException("approvalPollMillis must be at least 100: " + config.approvalPollMillis());
        }
        this.commands = new Commands(approvals, () -> Optional.ofNullable(sandboxes), () -> Optional.ofNullable(daemon),
                () -> Map.copyOf(channels), () -> Optional.ofNullable(tasks));
        if (!notify.isEmpty()) {
            offers.scheduleWithFixedDelay(this::offerPending, 0, config.approvalPollMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChannel(Channel channel) {
        channels.put(channel.name(), channel);
    }

    void removeChannel(Channel channel) {
        channels.remove(channel.name(), channel);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setSandboxes(Sandboxes s) {
        sandboxes = s;
    }

    void unsetSandboxes(Sandboxes s) {
        if (sandboxes == s) {
            sandboxes = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setDaemon(Daemon d) {
        daemon = d;
    }

    void unsetDaemon(Daemon d) {
        if (daemon == d) {
            daemon = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setTasks(Tasks t) {
        tasks = t;
    }

    void unsetTasks(Tasks t) {
        if (tasks == t) {
            tasks = null;
        }
    }

    @Deactivate
    void deactivate() {
        followers.shutdownNow();
        offers.shutdownNow();
        worker.shutdown();
    }

    /** Queues the message; the channel's receive loop never waits for a command to finish. */
    @Override
    public void accept(InboundMessage message) {
        worker.execute(() -> {
            try {
                handle(message).ifPresent(reply -> reply(message, reply));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "command from " + message.channel() + " failed", e);
                reply(message, "That failed inside CrustyClaw (see the daemon log): " + e.getClass().getSimpleName());
            }
        });
    }

    /** The answer to one message, if it gets one (an empty message gets none). */
    Optional<String> handle(InboundMessage message) {
        ChannelCommand command = ChannelCommand.parse(message.text());
        if (command.verb().isEmpty()) {
            return Optional.empty();
        }
        String verb = commands.knows(command.verb()) ? command.verb() : "unknown";
        Principal.Authenticated who = message.principal();
        Principal.Authorization decision = who.authorize(policy, ACTION, "command." + verb);
        if (decision instanceof Principal.Authorization.Granted granted) {
            if (verb.equals("run")) {
                return Optional.of(commands.start(command, granted.principal(), task -> follow(task, message)));
            }
            return Optional.of(commands.run(command, granted.principal()));
        }
        if (decision instanceof Principal.Authorization.NeedsApproval ask) {
            return Optional.of("'" + command.verb() + "' needs an approval (rule " + ask.verdict().rule()
                    + "); ask an operator.");
        }
        Principal.Authorization.Refused no = (Principal.Authorization.Refused) decision;
        return Optional.of("Not allowed: " + command.verb() + " (rule " + no.verdict().rule()
                + "). Ask an operator to map your number to a role.");
    }

    /**
     * Reports a task started from a chat back to it: state changes, approvals it waits for
     * (offered with the words to answer them) and, at the end, its answer or why it stopped.
     */
    private void follow(Task task, InboundMessage to) {
        Tasks t = tasks;
        followers.execute(() -> {
            try {
                t.follow(task.id(), 0, event -> progress(event).ifPresent(text -> reply(to, text)));
                t.find(task.id()).ifPresent(done -> reply(to, outcome(done)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "following task " + task.id() + " failed: " + e.getMessage());
            }
        });
    }

    static Optional<String> progress(TaskEvent event) {
        return switch (event.kind()) {
            case APPROVAL -> Optional.of(approval(event));
            case TOOL_CALL -> Optional.of("Task " + event.taskId() + ": " + Commands.abbreviate(event.text(), 200));
            case REFUSED -> Optional.of("Task " + event.taskId() + " was refused: " + Commands.abbreviate(event.text(), 300));
            default -> Optional.empty();
        };
    }

    private static String approval(TaskEvent event) {
        String id = event.detail().getOrDefault("approval", "");
        if (event.detail().containsKey("approved") || id.isEmpty()) {
            return "Task " + event.taskId() + ": " + Commands.abbreviate(event.text(), 300);
        }
        return "Task " + event.taskId() + " " + Commands.abbreviate(event.text(), 500) + "\nReply 'approve " + id
                + "' or 'reject " + id + " reason'.";
    }

    static String outcome(Task task) {
        String head = "Task " + task.id() + " " + task.state().label()
                + task.stopReason().map(r -> " (" + r + ")").orElse("");
        return task.output().map(o -> head + ":\n" + o).orElse(head + ".");
    }

    private void reply(InboundMessage to, String text) {
        send(to.channel(), new OutboundMessage(to.sender(), to.group(), text));
    }

    private void send(String channelName, OutboundMessage message) {
        Channel channel = channels.get(channelName);
        if (channel == null) {
            LOG.log(System.Logger.Level.WARNING, "no channel '" + channelName + "' to answer on; dropped a reply");
            return;
        }
        try {
            channel.send(message);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer on " + channelName + ": " + e.getMessage());
        }
    }

    /** Offers each pending approval once to every notify recipient whose channel is there. */
    void offerPending() {
        try {
            for (ApprovalRequest request : approvals.pending()) {
                if (offered.contains(request.id())) {
                    continue;
                }
                boolean delivered = false;
                for (Recipient r : notify) {
                    if (channels.containsKey(r.channel())) {
                        send(r.channel(), new OutboundMessage(r.id(), Optional.empty(), Commands.offer(request)));
                        delivered = true;
                    }
                }
                if (delivered) {
                    offered.add(request.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not offer pending approvals: " + e.getMessage());
        }
    }
}
