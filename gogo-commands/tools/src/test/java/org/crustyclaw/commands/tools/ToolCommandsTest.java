package org.crustyclaw.commands.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.sandbox.bwrap.BwrapBackend;
import org.crustyclaw.sandbox.manager.SandboxManager;
import org.crustyclaw.tools.builtin.FileReadTool;
import org.crustyclaw.tools.builtin.FileWriteTool;
import org.crustyclaw.tools.builtin.ShellTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands over the real manager, bwrap, policy engine and audit log, as a shell user sees them. */
class ToolCommandsTest {

    static final Principal.Authenticated OPERATOR = new Principal.Authenticated("alice", Set.of("admin"), "cli", "test");
    static final Principal.Authenticated GUEST = new Principal.Authenticated("bob", Set.of("guest"), "cli", "test");

    @TempDir
    Path tmp;
    BwrapBackend bwrap;
    SandboxManager manager;
    org.crustyclaw.security.audit.SqliteAuditLog audit;
    ToolCommands commands;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void activate() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        bwrap = new BwrapBackend(Defaults.of(BwrapBackend.Config.class, Map.of()));
        manager = new SandboxManager(Defaults.of(SandboxManager.Config.class,
                Map.of("workspaceRoot", tmp.resolve("ws").toString(), "pools", new String[0])));
        manager.addBackend(bwrap);
        audit = new org.crustyclaw.security.audit.SqliteAuditLog(tmp.resolve("crustyclaw.db"), t -> t,
                Duration.ofSeconds(10));
        var policy = new org.crustyclaw.security.policy.PolicyService(audit, java.time.Clock.systemUTC());
        policy.apply("crustyclaw.toml", """
                [[policy.rules]]
                id = "admins-run"
                role = "admin"
                action = "sandbox.exec"
                resource = "sandbox.*"
                effect = "allow"

                [[policy.rules]]
                id = "admins-call-tools"
                role = "admin"
                action = "tool.call"
                resource = "tool.*"
                effect = "allow"
                """);
        manager.setPolicy(policy);
        manager.setAudit(audit);
        commands = new ToolCommands(manager, policy, audit);
        commands.addTool(new FileReadTool());
        commands.addTool(new FileWriteTool());
        commands.addTool(new ShellTool());
    }

    @AfterEach
    void deactivate() throws Exception {
        manager.deactivate();
        bwrap.deactivate();
        audit.close();
    }

    void call(Principal.Authenticated who, String tool, String json, Optional<Path> ws, String max, boolean asJson) {
        commands.call(who, tool, json, "trusted", ws, "base", max, asJson,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsAndShowsTheInstalledTools() throws Exception {
        assertThat(commands.listing(false)).contains("file_read", "file_write", "shell", "workspace", "fs.read");
        JsonNode show = new ObjectMapper().readTree(commands.showing("shell", true));
        assertThat(show.path("sideEffects").asText()).isEqualTo("workspace");
        assertThat(show.path("inputSchema").asText()).contains("\"command\"");
        commands.removeTool(new ShellTool());
        assertThat(commands.listing(false)).contains("shell");
    }

    @Test
    void usageErrorsExit2NamingTheValue() {
        assertThatThrownBy(() -> commands.showing("nope", false)).isInstanceOfSatisfying(CommandFailedException.class,
                e -> {
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("no tool 'nope'", "file_read, file_write, shell");
                });
        assertThatThrownBy(() -> call(OPERATOR, "file_read", "{path:", Optional.empty(), "20000", false))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("arguments '{path:' are not JSON");
                });
        assertThatThrownBy(() -> call(OPERATOR, "file_read", "[1]", Optional.empty(), "20000", false))
                .hasMessageContaining("are not a JSON object");
        assertThatThrownBy(() -> call(OPERATOR, "file_read", "{}", Optional.empty(), "lots", false))
                .hasMessageContaining("--max-output 'lots'");
        assertThatThrownBy(() -> commands.call(OPERATOR, "file_read", "{}", "bogus", Optional.empty(), "base", "20000",
                false, System.out, System.err)).hasMessageContaining("--tier").hasMessageContaining("'bogus'");
    }

    @Test
    void aCallThePolicyDeniesNeverRuns() {
        assertThatThrownBy(() -> call(GUEST, "shell", "{\"command\":\"touch /tmp/x\"}", Optional.empty(), "20000",
                false)).isInstanceOfSatisfying(CommandFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("denied: tool.call on tool.shell (rule default-deny)");
                });
        assertThat(audit.tail(20).stream().map(AuditEvent::type)).doesNotContain("tool.call");
    }

    @Test
    void callsRunInAFreshWorkspaceThroughTheManagerAndAreAudited() throws Exception {
        call(OPERATOR, "shell", "{\"command\":\"echo hi > made.txt; echo streamed; pwd\"}", Optional.empty(), "20000",
                true);
        JsonNode view = new ObjectMapper().readTree(out());
        Path ws = Path.of(view.path("workspace").asText());
        assertThat(ws.startsWith(tmp.resolve("ws"))).as("%s is a fresh workspace of the manager", ws).isTrue();
        assertThat(view.path("error").asBoolean()).isFalse();
        assertThat(view.path("text").asText()).contains("exit code 0", "streamed", ws.toString());
        assertThat(Files.readString(ws.resolve("made.txt"))).isEqualTo("hi\n");
        var types = audit.tail(50).stream().map(AuditEvent::type).toList();
        assertThat(types).contains("tool.call");
        AuditEvent call = audit.tail(50).stream().filter(e -> e.type().equals("tool.call")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(call.actor()).isEqualTo("alice");
        assertThat(call.payload()).containsEntry("tool", "shell").containsEntry("outcome", "ok")
                .containsEntry("workspace", ws.toString());
    }

    @Test
    void progressIsStreamedAndAnErrorResultFailsTheCommandAfterPrintingIt() {
        assertThatThrownBy(() -> call(OPERATOR, "shell", "{\"command\":\"echo before; exit 4\"}", Optional.empty(),
                "20000", false)).isInstanceOfSatisfying(CommandFailedException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(1));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("before");
        assertThat(out()).startsWith("exit code 4\n");
        assertThat(audit.tail(50).stream().filter(e -> e.type().equals("tool.call")).map(e -> e.payload().get(
                "outcome"))).containsExactly("error");
    }
}
