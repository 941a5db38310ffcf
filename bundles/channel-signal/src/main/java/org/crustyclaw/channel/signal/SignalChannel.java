package org.crustyclaw.channel.signal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.channel.Channel;
import org.crustyclaw.api.channel.InboundMessage;
import org.crustyclaw.api.channel.OutboundMessage;
import org.crustyclaw.api.channel.Router;
import org.crustyclaw.api.policy.Principal;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code signal} channel: one Signal account served by signal-cli-rest-api. Active only with
 * a {@code [channel.signal]} section. Inbound messages are stored, rate limited, their senders
 * mapped to roles, their attachments kept under generated names, then handed to the core's
 * {@link Router}; replies are split at Signal's length and long output goes as a text file.
 */
@Component(service = {Channel.class, SignalChannel.class}, configurationPid = SignalChannel.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SignalChannel.Config.class)
public final class SignalChannel implements Channel {

    static final String PID = "org.crustyclaw.channel.signal";
    static final String NAME = "signal";
    static final String ANONYMOUS = "anonymous";
    private static final System.Logger LOG = System.getLogger(SignalChannel.class.getName());

    @ObjectClassDefinition(name = "Signal channel", description = "Operators talk to CrustyClaw over Signal,"
            + " through a signal-cli-rest-api server.")
    public @interface Config {
        @AttributeDefinition(description = "The account's phone number in international form, e.g. +4915112345678.")
        String number();

        @AttributeDefinition(description = "Where signal-cli-rest-api listens.")
        String baseUrl() default "http://127.0.0.1:8080";

        @AttributeDefinition(description = "How to receive: auto (ask the server's /v1/about), normal (poll"
                + " /v1/receive, also for native mode) or json-rpc (the WebSocket stream).")
        String mode() default "auto";

        @AttributeDefinition(description = "Senders and their roles, NUMBER=role[,role...]; anyone else is"
                + " 'anonymous', which the default policy denies.")
        String[] senders() default {};

        @AttributeDefinition(description = "Numbers whose messages are dropped unread.")
        String[] blocked() default {};

        @AttributeDefinition(description = "In a group, a sender's roles apply only if they are an admin of it.")
        boolean groupAdminOnly() default true;

        @AttributeDefinition(description = "Messages per minute one sender may send.")
        double senderPerMinute() default 20;

        @AttributeDefinition(description = "Messages one sender may send at once.")
        int senderBurst() default 5;

        @AttributeDefinition(description = "Messages per minute one group may send.")
        double groupPerMinute() default 60;

        @AttributeDefinition(description = "Messages one group may send at once.")
        int groupBurst() default 10;

        @AttributeDefinition(description = "Messages per minute from everyone together.")
        double globalPerMinute() default 600;

        @AttributeDefinition(description = "Longest inbound text taken, in characters.")
        int maxMessageChars() default 4000;

        @AttributeDefinition(description = "Largest inbound attachment kept, in bytes.")
        long maxAttachmentBytes() default 10485760;

        @AttributeDefinition(description = "Attachment types kept (type/subtype or type/*).")
        String[] attachmentTypes() default {"image/*", "audio/*", "video/*", "application/pdf", "text/plain"};

        @AttributeDefinition(description = "Replies are split into messages of at most this many characters.")
        int replyChars() default 2000;

        @AttributeDefinition(description = "A reply longer than this goes as a text attachment with its start inline.")
        int attachmentReplyChars() default 6000;

        @AttributeDefinition(description = "How long one receive call waits for messages, in seconds (normal mode).")
        int receiveTimeoutSeconds() default 10;

        @AttributeDefinition(description = "First wait before reconnecting after a failure, in ms; doubles up to the maximum.")
        long reconnectMinMillis() default 500;

        @AttributeDefinition(description = "Longest wait between reconnect attempts, in ms.")
        long reconnectMaxMillis() default 30000;

        @AttributeDefinition(description = "How often the json-rpc WebSocket is pinged, in ms; two intervals without"
                + " an answer end the connection and a new one is opened.")
        long websocketPingMillis() default 15000;

        @AttributeDefinition(description = "Send read receipts for the messages taken.")
        boolean readReceipts() default true;

        @AttributeDefinition(description = "Show the typing indicator while a command is being answered.")
        boolean typingIndicators() default true;

        @AttributeDefinition(description = "The device name shown on the phone when linking.")
        String deviceName() default "crustyclaw";
    }

    private final Config config;
    private final Router router;
    private final SignalClient client;
    private final Account account;
    private final Inbox inbox;
    private final AttachmentStore attachments;
    private final RateLimits limits;
    private final Map<String, Set<String>> roles;
    private final Set<String> blocked;
    private final Receiver receiver;
    private final Groups groups;

    @Activate
    public SignalChannel(Config config, @Reference Router router, BundleContext context) throws IOException, SQLException {
        this(config, router, stateDir(context));
    }

    SignalChannel(Config config, Router router, Path state) throws IOException, SQLException {
        this.config = config;
        this.router = router;
        if (!config.number().matches("\\+[1-9][0-9]{6,14}")) {
            throw new IllegalArgumentException("[channel.signal] number '" + config.number()
                    + "' is not a phone number in international form, e.g. +4915112345678");
        }
        if (config.replyChars() < 100 || config.attachmentReplyChars() < config.replyChars()
                || config.maxMessageChars() < 1 || config.receiveTimeoutSeconds() < 1
                || config.reconnectMinMillis() < 1 || config.websocketPingMillis() < 10 || config.reconnectMaxMillis() < config.reconnectMinMillis()) {
            throw new IllegalArgumentException("[channel.signal] expects reply_chars >= 100, attachment_reply_chars >="
                    + " reply_chars, max_message_chars >= 1, receive_timeout_seconds >= 1, websocket_ping_millis >= 10 and"
                    + " 1 <= reconnect_min_millis"
                    + " <= reconnect_max_millis");
        }
        this.roles = parseSenders(config.senders());
        this.blocked = Set.of(config.blocked());
        Path dir = state.resolve("channel-signal");
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.client = new SignalClient(URI.create(config.baseUrl()), Duration.ofSeconds(5), Duration.ofSeconds(30));
        this.account = new Account(dir.resolve("account"));
        this.inbox = new Inbox(dir.resolve("inbox.db"));
        ownerOnly(dir);
        this.attachments = new AttachmentStore(dir.resolve("attachments"), List.of(config.attachmentTypes()),
                config.maxAttachmentBytes());
        this.limits = new RateLimits(config.senderPerMinute(), config.senderBurst(), config.groupPerMinute(),
                config.groupBurst(), config.globalPerMinute(), System::nanoTime);
        this.groups = new Groups(client, config.number());
        this.receiver = new Receiver(this, client, account, config);
        receiver.start();
    }

    private static Path stateDir(BundleContext context) {
        String dir = context.getProperty("crustyclaw.state.dir");
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("framework property crustyclaw.state.dir is not set");
        }
        return Path.of(dir);
    }

    private static void ownerOnly(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    static Map<String, Set<String>> parseSenders(String[] specs) {
        Map<String, Set<String>> out = new HashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String number = eq < 0 ? "" : spec.substring(0, eq).strip();
            if (!number.matches("\\+[1-9][0-9]{6,14}")) {
                throw new IllegalArgumentException("[channel.signal] senders entry '" + spec
                        + "' is not NUMBER=role[,role...] with a number like +4915112345678");
            }
            Set<String> r = new LinkedHashSet<>();
            for (String role : spec.substring(eq + 1).split(",")) {
                if (!role.strip().matches("[a-z][a-z0-9_-]{0,31}")) {
                    throw new IllegalArgumentException("[channel.signal] senders entry '" + spec + "': role '"
                            + role.strip() + "' is not 1-32 lower case letters, digits, '_' or '-'");
                }
                r.add(role.strip());
            }
            out.put(number, Set.copyOf(r));
        }
        return Map.copyOf(out);
    }

    @Deactivate
    void deactivate() throws SQLException {
        receiver.stop();
        inbox.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean connected() {
        return account.verified() && receiver.health().up();
    }

    Receiver.Health health() {
        return receiver.health();
    }

    Account account() {
        return account;
    }

    SignalClient client() {
        return client;
    }

    Config config() {
        return config;
    }

    /** Makes the receive loop look at the account again now. */
    void poke() {
        receiver.poke();
    }

    /** Sends text to a person or a group, split at {@code reply_chars}; long output also as a file. */
    @Override
    public void send(OutboundMessage message) throws IOException {
        if (!account.verified()) {
            throw new IOException("the Signal account " + config.number() + " is " + account.state()
                    + ", not verified: run 'crustyclaw signal link' or 'signal register'");
        }
        String to = message.group().orElse(message.recipient());
        String text = message.text();
        List<String> files = new ArrayList<>();
        if (text.length() > config.attachmentReplyChars()) {
            files.add(SignalClient.dataUri("text/plain", "output.txt", text.getBytes(StandardCharsets.UTF_8)));
            text = text.substring(0, config.replyChars() - 80) + "\n… (" + text.length()
                    + " characters in all: the whole text is attached as output.txt)";
        }
        List<String> parts = split(text, config.replyChars());
        for (int i = 0; i < parts.size(); i++) {
            client.send(config.number(), List.of(to), parts.get(i), i == parts.size() - 1 ? files : List.of(), Map.of());
        }
        if (config.typingIndicators()) {
            bestEffort("typing indicator", () -> client.typing(config.number(), to, false));
        }
    }

    private interface Call {
        void run() throws IOException;
    }

    /** Receipts and typing indicators are courtesies: their failure never costs a message. */
    private static void bestEffort(String what, Call call) {
        try {
            call.run();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, what + ": " + e.getMessage());
        }
    }

    /** Splits at the last line break (or space) before {@code max}, never inside a surrogate pair. */
    static List<String> split(String text, int max) {
        List<String> out = new ArrayList<>();
        String rest = text;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf('\n', max);
            if (cut < max / 2) {
                cut = rest.lastIndexOf(' ', max);
            }
            if (cut < max / 2) {
                cut = Character.isHighSurrogate(rest.charAt(max - 1)) ? max - 1 : max;
            }
            out.add(rest.substring(0, cut));
            rest = rest.substring(cut).stripLeading();
        }
        out.add(rest);
        return out;
    }

    /** Stores a receive batch, then handles what had not been seen before. */
    void received(List<JsonNode> batch) throws SQLException {
        List<Inbox.Stored> stored = new ArrayList<>();
        for (JsonNode n : batch) {
            Envelope e = Envelope.parse(n);
            if (e.kind() == Envelope.Kind.MALFORMED) {
                LOG.log(System.Logger.Level.WARNING, "dropped a malformed envelope: " + e.detail());
                continue;
            }
            stored.add(new Inbox.Stored(config.number(), e.source(), e.timestamp(), n.toString()));
        }
        handleAll(inbox.add(stored));
    }

    /** Handles each, then marks them done together; a crash in between handles them again at start. */
    private void handleAll(List<Inbox.Stored> batch) throws SQLException {
        for (Inbox.Stored s : batch) {
            handle(s);
        }
        inbox.done(batch);
    }

    /** Handles what a crash left unhandled, before new messages. */
    void recover() throws SQLException {
        handleAll(inbox.open(config.number()));
        inbox.prune(Instant.now().minus(Duration.ofDays(7)));
        limits.prune();
    }

    private void handle(Inbox.Stored s) {
        try {
            Envelope e = Envelope.parse(SignalClient.JSON.readTree(s.payload()));
            if (e.kind() == Envelope.Kind.MESSAGE && (e.account().isEmpty() || e.account().equals(config.number()))
                    && !blocked.contains(e.source())) {
                take(e);
            }
        } catch (IOException | RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "could not handle the message of " + s.ts() + ": " + ex.getMessage());
        }
    }

    private void take(Envelope e) throws IOException {
        String replyTo = e.replyTo();
        switch (limits.take(e.source(), e.group().orElse(""))) {
            case THROTTLED_TELL -> {
                client.send(config.number(), List.of(replyTo), "Too many messages: slow down; the next ones are"
                        + " dropped until the limit allows more.", List.of(), Map.of());
                return;
            }
            case THROTTLED_QUIET -> {
                return;
            }
            case PASS -> { }
        }
        if (e.text().length() > config.maxMessageChars()) {
            client.send(config.number(), List.of(replyTo), "Message not taken: " + e.text().length()
                    + " characters, at most " + config.maxMessageChars() + ".", List.of(), Map.of());
            return;
        }
        List<InboundMessage.Attachment> kept = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Envelope.AttachmentRef a : e.attachments()) {
            Optional<String> why = attachments.refuse(a.contentType(), a.size());
            if (why.isPresent()) {
                refused.add(why.get());
                continue;
            }
            try {
                byte[] data = client.attachment(a.id(), attachments.maxBytes());
                kept.add(new InboundMessage.Attachment(a.contentType(), data.length, attachments.store(a.contentType(), data)));
                client.deleteAttachment(a.id());
            } catch (IOException ex) {
                refused.add(ex.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            client.send(config.number(), List.of(replyTo), "Attachment not kept: " + String.join("; ", refused),
                    List.of(), Map.of());
        }
        Set<String> senderRoles = roles.getOrDefault(e.source(), Set.of(ANONYMOUS));
        if (e.group().isPresent() && config.groupAdminOnly() && !groups.isAdmin(replyTo, e.source())) {
            senderRoles = Set.of(ANONYMOUS);
        }
        Principal.Authenticated who = new Principal.Authenticated("signal:" + e.source(), senderRoles, NAME,
                "signal-sender");
        if (config.readReceipts() && e.group().isEmpty()) {
            bestEffort("read receipt", () -> client.receipt(config.number(), e.source(), "read", e.timestamp()));
        }
        if (config.typingIndicators()) {
            bestEffort("typing indicator", () -> client.typing(config.number(), replyTo, true));
        }
        router.accept(new InboundMessage(NAME, e.source(), who, e.group().map(g -> replyTo), e.text(),
                Instant.now(), Long.toString(e.timestamp()), kept));
    }
}
