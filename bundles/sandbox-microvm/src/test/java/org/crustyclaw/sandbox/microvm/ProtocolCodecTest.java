package org.crustyclaw.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProtocolCodecTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    @Test
    void runRequestCarriesEveryFieldBase64AndEndsWithGo() {
        String text = AgentRequest.run("t1", List.of("/bin/sh", "-c", "echo hi there"), Map.of("A", "b c"),
                "/tmp/ws", Duration.ofSeconds(10));
        List<String> lines = text.lines().toList();
        assertThat(text).endsWith("\n");
        assertThat(lines.get(0)).isEqualTo("RUN t1");
        assertThat(lines).last().isEqualTo("GO t1");
        assertThat(lines).filteredOn(l -> l.startsWith("ARG ")).extracting(l -> unb64(l.substring(4)))
                .containsExactly("/bin/sh", "-c", "echo hi there");
        assertThat(lines).contains("ENV " + b64("A=b c"), "CWD " + b64("/tmp/ws"), "TIMEOUT 10000");
        assertThat(lines).allMatch(l -> l.split(" ").length == 2);
    }

    @Test
    void runRequestRejectsBadIdsAndEnvironmentNames() {
        assertThatThrownBy(() -> AgentRequest.run("bad id", List.of("true"), Map.of(), "/", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad id'");
        assertThatThrownBy(() -> AgentRequest.run("t", List.of("true"), Map.of("A=B", "x"), "/",
                Duration.ofSeconds(1))).hasMessageContaining("'A=B'");
        assertThatThrownBy(() -> AgentRequest.run("t", List.of(), Map.of(), "/", Duration.ofSeconds(1)))
                .hasMessageContaining("empty");
    }

    @Test
    void parsesEachGuestMessage() {
        assertThat(GuestMessage.parse("READY 1 kernel=6.1.0-56-amd64 uptime_ms=2140 workspace=- user=sandbox"))
                .isEqualTo(new GuestMessage.Ready(1, "6.1.0-56-amd64"));
        assertThat(GuestMessage.parse("STARTED t1 125")).isEqualTo(new GuestMessage.Started("t1", 125));
        GuestMessage out = GuestMessage.parse("OUT t1 aGVsbG8K");
        assertThat(out).isInstanceOfSatisfying(GuestMessage.Output.class, o -> {
            assertThat(o.stderr()).isFalse();
            assertThat(new String(o.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        });
        assertThat(GuestMessage.parse("ERR t1 ZXJyCg==")).isInstanceOfSatisfying(GuestMessage.Output.class,
                o -> assertThat(o.stderr()).isTrue());
        assertThat(GuestMessage.parse("EXIT t1 3 exited\r")).isEqualTo(new GuestMessage.Exit("t1", 3, "exited", -1));
        assertThat(GuestMessage.parse("EXIT t1 137 exited oom_kills=2")).isEqualTo(new GuestMessage.Exit("t1", 137, "exited", 2));
        assertThat(GuestMessage.parse("FAIL - " + b64("no ARG"))).isEqualTo(new GuestMessage.Fail("-", "no ARG"));
        assertThat(GuestMessage.parse("PONG x")).isEqualTo(new GuestMessage.Pong("x"));
        assertThat(GuestMessage.parse("BYE")).isEqualTo(new GuestMessage.Bye());
    }

    @Test
    void rejectsMalformedGuestLinesNamingThem() {
        assertThatThrownBy(() -> GuestMessage.parse("EXIT t1 300 exited")).hasMessageContaining("300");
        assertThatThrownBy(() -> GuestMessage.parse("EXIT t1 1 vanished")).hasMessageContaining("vanished");
        assertThatThrownBy(() -> GuestMessage.parse("OUT t1 !!notbase64")).hasMessageContaining("OUT t1");
        assertThatThrownBy(() -> GuestMessage.parse("OUT ../x aGk=")).hasMessageContaining("'../x'");
        assertThatThrownBy(() -> GuestMessage.parse("SHELL root")).hasMessageContaining("unknown message 'SHELL'");
        assertThatThrownBy(() -> GuestMessage.parse("STARTED t1")).hasMessageContaining("expected 3 fields");
    }
}
