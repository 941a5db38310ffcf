package org.crustyclaw.channel.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.channel.InboundMessage;
import org.crustyclaw.api.channel.OutboundMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The channel against the signal-cli-rest-api double, in both receive modes. */
class SignalChannelTest {

    static final String ACCOUNT = "+4915100000001";
    static final String OPERATOR = "+4915100000002";
    static final String STRANGER = "+4915100000003";
    static final long WAIT = 60;

    @TempDir
    Path state;
    private final BlockingQueue<InboundMessage> routed = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private SignalRestServer server(String mode) throws IOException {
        SignalRestServer s = new SignalRestServer(mode);
        s.account(ACCOUNT);
        closing.add(s);
        return s;
    }

    private SignalChannel channel(SignalRestServer server, Map<String, Object> overrides) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("number", ACCOUNT, "baseUrl", server.uri().toString(),
                "senders", new String[] {OPERATOR + "=admin,operator"}, "receiveTimeoutSeconds", 1,
                "reconnectMinMillis", 50L, "reconnectMaxMillis", 200L, "websocketPingMillis", 200L));
        config.putAll(overrides);
        SignalChannel c = new SignalChannel(Defaults.of(SignalChannel.Config.class, config), routed::add, state);
        closing.add(0, c::deactivate);
        return c;
    }

    private InboundMessage next() throws InterruptedException {
        InboundMessage m = routed.poll(WAIT, TimeUnit.SECONDS);
        assertThat(m).as("a message routed within the hang guard").isNotNull();
        return m;
    }

    @Test
    void aTextMessageReachesTheRouterWithTheSendersRolesAndIsAcknowledged() throws Exception {
        SignalRestServer server = server("normal");
        channel(server, Map.of());
        long ts = server.deliver(ACCOUNT, OPERATOR, "status");
        InboundMessage m = next();
        assertThat(m.channel()).isEqualTo("signal");
        assertThat(m.sender()).isEqualTo(OPERATOR);
        assertThat(m.text()).isEqualTo("status");
        assertThat(m.id()).isEqualTo(Long.toString(ts));
        assertThat(m.group()).isEmpty();
        assertThat(m.principal().name()).isEqualTo("signal:" + OPERATOR);
        assertThat(m.principal().roles()).containsExactlyInAnyOrder("admin", "operator");
        assertThat(m.principal().channel()).isEqualTo("signal");
        Await.until("a read receipt and a typing indicator", server::requests, r -> r.stream().anyMatch(q ->
                q.path().equals("/v1/receipts/" + ACCOUNT) && q.body().path("timestamp").asLong() == ts
                        && q.body().path("receipt_type").asText().equals("read"))
                && r.stream().anyMatch(q -> q.method().equals("PUT") && q.path().startsWith("/v1/typing-indicator/")));
    }

    @Test
    void anUnknownSenderIsAnonymousAndABlockedOneIsDropped() throws Exception {
        SignalRestServer server = server("normal");
        channel(server, Map.of("blocked", new String[] {"+4915199999999"}));
        server.deliver(ACCOUNT, "+4915199999999", "status");
        server.deliver(ACCOUNT, STRANGER, "status");
        InboundMessage m = next();
        assertThat(m.sender()).as("the blocked sender's earlier message never arrives").isEqualTo(STRANGER);
        assertThat(m.principal().roles()).containsExactly("anonymous");
    }

    @Test
    void theWebSocketModeReceivesAndReconnectsAfterTheServerDrops() throws Exception {
        SignalRestServer server = server("json-rpc");
        SignalChannel channel = channel(server, Map.of());
        server.deliver(ACCOUNT, OPERATOR, "first");
        assertThat(next().text()).isEqualTo("first");
        assertThat(channel.health().mode()).isEqualTo("json-rpc");
        server.drop();
        Await.until("the channel to notice the drop", channel::health, h -> !h.up());
        server.deliver(ACCOUNT, OPERATOR, "after the restart");
        server.restart();
        assertThat(next().text()).isEqualTo("after the restart");
        Await.until("the channel up again", channel::health, Receiver.Health::up);
        assertThat(channel.connected()).isTrue();
    }

    @Test
    void pollingReconnectsAfterTheServerDrops() throws Exception {
        SignalRestServer server = server("normal");
        SignalChannel channel = channel(server, Map.of());
        server.drop();
        Await.until("the channel to report the server gone", channel::health,
                h -> !h.up() && h.detail().contains("cannot be reached"));
        org.crustyclaw.api.runtime.Health health = new SignalHealth(channel).check().get(0);
        assertThat(health.healthy()).isFalse();
        assertThat(health.detail()).contains("cannot be reached");
        server.deliver(ACCOUNT, OPERATOR, "back");
        server.restart();
        assertThat(next().text()).isEqualTo("back");
        Await.until("status healthy again", () -> new SignalHealth(channel).check().get(0),
                h -> h.healthy() && h.detail().startsWith("ok, normal"));
    }

    @Test
    void aMessageDeliveredTwiceIsHandledOnce() throws Exception {
        SignalRestServer server = server("normal");
        channel(server, Map.of());
        ObjectMapper json = new ObjectMapper();
        JsonNode item = json.readTree("{\"account\":\"" + ACCOUNT + "\",\"envelope\":{\"source\":\"" + OPERATOR
                + "\",\"sourceNumber\":\"" + OPERATOR + "\",\"timestamp\":1767000000999,"
                + "\"dataMessage\":{\"timestamp\":1767000000999,\"message\":\"once\"}}}");
        server.deliverRaw(item);
        server.deliverRaw(item);
        server.deliver(ACCOUNT, OPERATOR, "marker");
        assertThat(next().text()).isEqualTo("once");
        assertThat(next().text()).as("the duplicate is skipped").isEqualTo("marker");
    }

    @Test
    void whatACrashLeftUnhandledIsHandledAtTheNextStart() throws Exception {
        Path dir = Files.createDirectories(state.resolve("channel-signal"));
        try (Inbox inbox = new Inbox(dir.resolve("inbox.db"))) {
            inbox.add(List.of(new Inbox.Stored(ACCOUNT, OPERATOR, 1767000000500L, "{\"account\":\"" + ACCOUNT
                    + "\",\"envelope\":{\"sourceNumber\":\"" + OPERATOR + "\",\"timestamp\":1767000000500,"
                    + "\"dataMessage\":{\"message\":\"taken before the crash\"}}}")));
        }
        SignalRestServer server = server("normal");
        channel(server, Map.of());
        assertThat(next().text()).isEqualTo("taken before the crash");
        try (Inbox inbox = new Inbox(dir.resolve("inbox.db"))) {
            Await.until("the recovered message marked done", () -> {
                try {
                    return inbox.open(ACCOUNT);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, List::isEmpty);
        }
    }

    @Test
    void malformedAndUnknownEnvelopesAreDroppedWithoutStoppingTheLoop() throws Exception {
        SignalRestServer server = server("normal");
        channel(server, Map.of());
        ObjectMapper json = new ObjectMapper();
        server.deliverRaw(json.readTree("\"just a string\""));
        server.deliverRaw(json.readTree("{\"account\":\"" + ACCOUNT + "\"}"));
        server.deliverRaw(json.readTree("{\"envelope\":{\"source\":\"" + OPERATOR + "\",\"timestamp\":-5}}"));
        server.deliverRaw(json.readTree("{\"envelope\":{\"source\":\"" + OPERATOR + "\",\"timestamp\":7,"
                + "\"dataMessage\":{\"message\":{\"nested\":true}}}}"));
        server.deliverRaw(json.readTree("{\"account\":\"" + ACCOUNT + "\",\"envelope\":{\"source\":\"" + OPERATOR
                + "\",\"timestamp\":8,\"futureMessage\":{}}}"));
        server.deliverRaw(json.readTree("{\"account\":\"" + ACCOUNT + "\",\"envelope\":{\"source\":\"" + OPERATOR
                + "\",\"timestamp\":9,\"typingMessage\":{\"action\":\"STARTED\"}}}"));
        server.deliver(ACCOUNT, OPERATOR, "still here");
        assertThat(next().text()).isEqualTo("still here");
        assertThat(routed).isEmpty();
    }

    @Test
    void attachmentsAreKeptUnderGeneratedNamesWithinTheirLimits() throws Exception {
        SignalRestServer server = server("normal");
        channel(server, Map.of("maxAttachmentBytes", 1000L));
        byte[] png = "\u0089PNG fake image bytes".getBytes(StandardCharsets.ISO_8859_1);
        server.attachment("att1.png", png);
        server.attachment("att2.bin", new byte[10]);
        server.attachment("att3.png", new byte[5000]);
        server.deliver(ACCOUNT, OPERATOR, "look", null, List.of(
                SignalRestServer.attachmentRef("att1.png", "image/png", "../../crustyclaw.db", png.length),
                SignalRestServer.attachmentRef("att2.bin", "application/x-msdownload", "evil.exe", 10),
                SignalRestServer.attachmentRef("att3.png", "image/png", "big.png", 100)));
        InboundMessage m = next();
        assertThat(m.attachments()).hasSize(1);
        InboundMessage.Attachment a = m.attachments().get(0);
        assertThat(a.file().getParent()).isEqualTo(state.resolve("channel-signal/attachments"));
        assertThat(a.file().getFileName().toString()).matches("[0-9a-f-]{36}\\.png");
        assertThat(Files.readAllBytes(a.file())).isEqualTo(png);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.file()))).isEqualTo("rw-------");
        assertThat(state.getParent().resolve("crustyclaw.db")).doesNotExist();
        JsonNode notice = server.nextSent(WAIT);
        assertThat(notice.path("message").asText()).contains("Attachment not kept")
                .contains("application/x-msdownload").contains("att3.png is 5000 bytes, more than the 1000 allowed");
        assertThat(server.requests()).noneMatch(r -> r.path().equals("/v1/attachments/att2.bin"));
    }

    @Test
    void aFloodingSenderIsToldOnceAndTheRestIsDropped() throws Exception {
        SignalRestServer server = server("normal");
        channel(server, Map.of("senderBurst", 3, "senderPerMinute", 1.0));
        for (int i = 0; i < 20; i++) {
            server.deliver(ACCOUNT, STRANGER, "msg " + i);
        }
        server.deliver(ACCOUNT, OPERATOR, "another sender is not held up");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            texts.add(next().text());
        }
        assertThat(texts).containsExactly("msg 0", "msg 1", "msg 2", "another sender is not held up");
        JsonNode notice = server.nextSent(WAIT);
        assertThat(notice.path("message").asText()).startsWith("Too many messages");
        assertThat(server.nextSent(1)).as("one notice, not one per message").isNull();
    }

    @Test
    void anOverlongMessageIsRefusedWithANotice() throws Exception {
        SignalRestServer server = server("normal");
        channel(server, Map.of("maxMessageChars", 50));
        server.deliver(ACCOUNT, OPERATOR, "x".repeat(51));
        assertThat(server.nextSent(WAIT).path("message").asText()).contains("51 characters, at most 50");
        assertThat(routed).isEmpty();
    }

    @Test
    void groupCommandsCarryRolesOnlyForTheGroupsAdmins() throws Exception {
        SignalRestServer server = server("normal");
        server.group("b3BzLWdyb3Vw", List.of(OPERATOR));
        channel(server, Map.of("senders", new String[] {OPERATOR + "=admin", STRANGER + "=admin"}));
        server.deliver(ACCOUNT, OPERATOR, "status", "b3BzLWdyb3Vw", List.of());
        server.deliver(ACCOUNT, STRANGER, "status", "b3BzLWdyb3Vw", List.of());
        InboundMessage admin = next();
        InboundMessage member = next();
        assertThat(admin.group()).contains(Envelope.groupRecipient("b3BzLWdyb3Vw"));
        assertThat(admin.principal().roles()).containsExactly("admin");
        assertThat(member.principal().roles()).containsExactly("anonymous");
    }

    @Test
    void longRepliesAreSplitAndVeryLongOnesGoAsAFile() throws Exception {
        SignalRestServer server = server("normal");
        SignalChannel channel = channel(server, Map.of("replyChars", 100, "attachmentReplyChars", 300));
        Await.until("the account seen on the server", () -> channel.account().state(), s -> s == Account.State.VERIFIED);
        String line = "0123456789 ".repeat(5) + "\n";
        channel.send(new OutboundMessage(OPERATOR, Optional.empty(), line.repeat(4)));
        List<String> parts = new ArrayList<>();
        for (JsonNode s = server.nextSent(WAIT); s != null; s = server.nextSent(1)) {
            assertThat(s.path("recipients").get(0).asText()).isEqualTo(OPERATOR);
            parts.add(s.path("message").asText());
        }
        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(100));
        assertThat(String.join("", parts).replaceAll("\\s", "")).as("nothing lost but the whitespace at the cuts")
                .isEqualTo(line.repeat(4).replaceAll("\\s", ""));

        channel.send(new OutboundMessage(OPERATOR, Optional.of("group.abc"), "y".repeat(1000)));
        JsonNode withFile = server.nextSent(WAIT);
        assertThat(withFile.path("recipients").get(0).asText()).isEqualTo("group.abc");
        assertThat(withFile.path("message").asText()).contains("1000 characters in all");
        String data = withFile.path("base64_attachments").get(0).asText();
        assertThat(data).startsWith("data:text/plain;filename=output.txt;base64,");
        assertThat(new String(Base64.getDecoder().decode(data.substring(data.indexOf(',') + 1)), StandardCharsets.UTF_8))
                .isEqualTo("y".repeat(1000));
    }

    @Test
    void anUnverifiedAccountNeitherSendsNorReceivesUntilItIsVerified() throws Exception {
        SignalRestServer server = new SignalRestServer("normal");
        closing.add(server);
        SignalChannel channel = channel(server, Map.of());
        Await.until("the channel to say the account is not set up", channel::health,
                h -> h.detail().contains("is UNLINKED"));
        assertThat(new SignalHealth(channel).check().get(0).detail()).contains("run 'crustyclaw signal link'");
        assertThatThrownBy(() -> channel.send(new OutboundMessage(OPERATOR, Optional.empty(), "hi")))
                .hasMessageContaining("not verified");
        assertThat(channel.connected()).isFalse();
        SignalCommands commands = new SignalCommands(channel);
        server.requireCaptcha(true);
        assertThatThrownBy(() -> commands.register("", false)).hasMessageContaining("Captcha required");
        commands.register("captcha-token", false);
        assertThat(channel.account().state()).isEqualTo(Account.State.REGISTERED);
        assertThatThrownBy(() -> commands.verify("999-999", "")).hasMessageContaining("code is incorrect");
        assertThatThrownBy(() -> commands.verify("../x", "")).hasMessageContaining("is not six digits");
        commands.verify("123-456", "");
        assertThat(channel.account().state()).isEqualTo(Account.State.VERIFIED);
        server.deliver(ACCOUNT, OPERATOR, "now it listens");
        assertThat(next().text()).isEqualTo("now it listens");
    }

    @Test
    void linkingPrintsAQrCodeAndTheAccountIsVerifiedOnceThePhoneLinked() throws Exception {
        SignalRestServer server = new SignalRestServer("normal");
        closing.add(server);
        server.phoneLinks(ACCOUNT);
        SignalChannel channel = channel(server, Map.of());
        String printed = Capture.stdout(() -> new SignalCommands(channel).link(false));
        assertThat(printed).contains("█").contains("Linked devices");
        assertThat(server.requests()).anyMatch(r -> r.path().equals("/v1/qrcodelink/raw"));
        channel.poke();
        Await.until("the account verified after linking", () -> channel.account().state(),
                s -> s == Account.State.VERIFIED);
    }

    @Test
    void badConfigurationNamesTheValue() {
        assertThatThrownBy(() -> SignalChannel.parseSenders(new String[] {"alice=admin"}))
                .hasMessageContaining("'alice=admin'").hasMessageContaining("NUMBER=role");
        assertThatThrownBy(() -> SignalChannel.parseSenders(new String[] {OPERATOR + "=Admin!"}))
                .hasMessageContaining("role 'Admin!'");
        assertThatThrownBy(() -> new SignalChannel(Defaults.of(SignalChannel.Config.class, Map.of("number", "12345")),
                m -> {}, state)).hasMessageContaining("number '12345'");
    }

    @Test
    void theUsageMatchesTheCommands() {
        assertThat(org.crustyclaw.commands.format.UsageCheck.mismatches(SignalCommands.class, SignalArea.USAGE)).isEmpty();
    }

    @Test
    void splittingKeepsSurrogatePairsWhole() {
        String emoji = "😀".repeat(150);
        List<String> parts = SignalChannel.split(emoji, 101);
        assertThat(String.join("", parts)).isEqualTo(emoji);
        assertThat(parts).allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse());
    }
}
