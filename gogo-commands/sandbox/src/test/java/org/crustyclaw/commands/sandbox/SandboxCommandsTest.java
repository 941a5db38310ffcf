package org.crustyclaw.commands.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.sandbox.bwrap.BwrapBackend;
import org.crustyclaw.sandbox.manager.SandboxManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands over the real manager and the real bwrap backend, as a shell user sees them. */
class SandboxCommandsTest {

    @TempDir
    Path tmp;
    BwrapBackend bwrap;
    SandboxManager manager;
    SandboxCommands commands;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    org.crustyclaw.security.audit.SqliteAuditLog audit;

    @BeforeEach
    void activate() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        bwrap = new BwrapBackend(Defaults.of(BwrapBackend.Config.class, Map.of()));
        manager = new SandboxManager(Defaults.of(SandboxManager.Config.class,
                Map.of("workspaceRoot", tmp.resolve("ws").toString(), "pools", new String[] {"base@L2=1"})));
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
                """);
        manager.setPolicy(policy);
        manager.setAudit(audit);
        commands = new SandboxCommands(manager);
    }

    @AfterEach
    void deactivate() throws Exception {
        manager.deactivate();
        bwrap.deactivate();
        audit.close();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void run(RunRequest request, boolean json) throws Exception {
        commands.run(request, json, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static final org.crustyclaw.api.policy.Principal.Authenticated OPERATOR = new org.crustyclaw.api.policy.Principal.Authenticated(
            "alice", java.util.Set.of("admin"), "cli", "test");

    private static RunRequest request(String tier, String backend, String memory, String timeout, String workspace,
            String... command) {
        return SandboxCommands.request(OPERATOR, null, tier, backend, memory, timeout, "", workspace, List.of(command));
    }

    @Test
    void badInputNamesTheValueAndWhatWasExpected() {
        assertThatThrownBy(() -> request("", "", "12x", "", "", "true")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'12x'").hasMessageContaining("256m");
        assertThatThrownBy(() -> request("", "", "", "soon", "", "true")).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> request("bogus", "", "", "", "", "true")).hasMessageContaining("'bogus'")
                .hasMessageContaining("llm-generated");
        assertThatThrownBy(() -> request("internal", "bwrap", "", "", "", "true")).hasMessageContaining("not both");
        assertThatThrownBy(() -> request("", "", "", "", tmp.resolve("nope").toString(), "true"))
                .hasMessageContaining("nope").hasMessageContaining("not an existing directory");
        assertThatThrownBy(() -> request("", "", "", "", "", "--")).hasMessageContaining("no command given");
        assertThatThrownBy(() -> request("", "", "1m", "", "", "true")).hasMessageContaining("below 16 MiB");
        assertThatThrownBy(() -> SandboxCommands.request(OPERATOR, null, "", "", "", "", "lots", "", List.of("true")))
                .hasMessageContaining("'lots'");
        assertThatThrownBy(() -> SandboxCommands.request(OPERATOR, null, "", "", "", "", "512k", "", List.of("true")))
                .hasMessageContaining("disk limit below 1 MiB");
    }

    @Test
    void optionsBecomeTheRequest() {
        RunRequest r = request("llm-generated", "", "64m", "30s", tmp.toString(), "--", "sh", "-c", "id");
        assertThat(r.tier()).isEqualTo(TrustTier.LLM_GENERATED);
        assertThat(r.limits().memoryBytes()).isEqualTo(64L << 20);
        assertThat(r.limits().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.workspace()).contains(tmp);
        assertThat(r.command()).containsExactly("sh", "-c", "id");
        assertThat(r.limits().diskBytes()).isEqualTo(ResourceLimits.DEFAULT.diskBytes());
        assertThat(SandboxCommands.request(OPERATOR, null, "", "", "", "", "2g", "", List.of("true")).limits().diskBytes())
                .isEqualTo(2L << 30);
    }

    /** Gogo binds System.out to the writing thread: a line printed from a backend's pooled thread would go astray. */
    @Test
    void everyLineIsPrintedOnTheCommandsOwnThread() throws Exception {
        assumeTrue(bwrap.unavailableBecause().isEmpty(), () -> "bwrap unavailable: " + bwrap.unavailableBecause());
        java.util.Set<Thread> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        class Recording extends PrintStream {
            Recording(ByteArrayOutputStream to) {
                super(to, true, StandardCharsets.UTF_8);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writers.add(Thread.currentThread());
                super.write(b, off, len);
            }

            @Override
            public void write(int b) {
                writers.add(Thread.currentThread());
                super.write(b);
            }
        }
        for (int i = 0; i < 3; i++) {
            commands.run(request("internal", "", "64m", "", "", "sh", "-c", "echo out-" + i + "; echo err-" + i + " >&2"),
                    false, new Recording(out), new Recording(err));
        }
        assertThat(out()).isEqualTo("out-0\nout-1\nout-2\n");
        assertThat(err()).contains("err-0", "err-1", "err-2");
        assertThat(writers).containsExactly(Thread.currentThread());
    }

    @Test
    void runStreamsStdoutAndStderrThenSaysHowItEnded() throws Exception {
        assumeTrue(bwrap.unavailableBecause().isEmpty(), () -> "bwrap unavailable: " + bwrap.unavailableBecause());
        run(request("internal", "", "", "", "", "sh", "-c", "echo to-out; echo to-err >&2"), false);
        assertThat(out()).isEqualTo("to-out\n");
        assertThat(err()).startsWith("to-err\n").contains("backend: bwrap").contains("ending: EXITED")
                .contains("exit code: 0").contains("notes: -");
        assertThat(audit.tail(2)).extracting(e -> e.payload().get("phase")).containsExactly("start", "end");
    }

    @Test
    void runPrintsJsonLinesThenTheResult() throws Exception {
        assumeTrue(bwrap.unavailableBecause().isEmpty(), () -> "bwrap unavailable: " + bwrap.unavailableBecause());
        run(request("", "bwrap", "", "", "", "echo", "hello"), true);
        assertThat(out()).startsWith("{ \"stream\" : \"stdout\", \"text\" : \"hello\" }\n")
                .contains("\"backend\" : \"bwrap\"").contains("\"ending\" : \"EXITED\"").endsWith("}\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void aRefusedRunSaysWhyListsTheBackendsAndFails() {
        assertThatThrownBy(() -> run(request("untrusted", "", "", "", "", "true"), false))
                .hasMessageContaining("refused").hasMessageContaining("L3");
        assertThat(err()).contains("refused: no available sandbox backend at level L3")
                .contains("installed backends:").contains("bwrap").contains("L2");
    }

    @Test
    void aFailedCommandFailsTheShellCommand() {
        assumeTrue(bwrap.unavailableBecause().isEmpty(), () -> "bwrap unavailable: " + bwrap.unavailableBecause());
        assertThatThrownBy(() -> run(request("internal", "", "", "1s", "", "sleep", "5"), false))
                .hasMessageContaining("TIMED_OUT");
        assertThat(err()).contains("ending: TIMED_OUT");
    }

    @Test
    void listAndPoolRenderTablesAndJson() throws Exception {
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            commands.list(false);
            assertThat(out()).startsWith("NAME   LEVEL  AVAILABLE  REASON\n").contains("bwrap  L2");
            out.reset();
            commands.list(true);
            assertThat(out()).contains("\"name\" : \"bwrap\"").contains("\"level\" : \"L2\"");
            out.reset();
            commands.pool(false);
            assertThat(out()).startsWith("IMAGE").contains("base").contains("L2");
            out.reset();
            commands.pool(true);
            assertThat(out()).contains("\"image\" : \"base\"").contains("\"size\" : 1");
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void listNamesTheWorkspaceRootAndWhyRunsCannotGetOneWhileAnotherDaemonHoldsIt() throws Exception {
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        commands.list(false, stdout, stderr);
        assertThat(out()).endsWith("workspaces: " + tmp.resolve("ws") + "\n");
        SandboxManager second = new SandboxManager(Defaults.of(SandboxManager.Config.class,
                Map.of("workspaceRoot", tmp.resolve("ws").toString())));
        try {
            out.reset();
            new SandboxCommands(second).list(false, stdout, stderr);
            assertThat(out()).contains("workspaces: " + tmp.resolve("ws") + " (unavailable: workspace root ")
                    .contains("is in use by another CrustyClaw process");
            out.reset();
            new SandboxCommands(second).list(true, stdout, stderr);
            assertThat(out()).doesNotContain("in use");
            assertThat(err()).startsWith("warning: fresh workspaces unavailable: workspace root " + tmp.resolve("ws"));
            manager.deactivate();
            err.reset();
            out.reset();
            new SandboxCommands(second).list(true, stdout, stderr);
            assertThat(err()).as("the root is claimed once the first manager let go").isEmpty();
        } finally {
            second.deactivate();
        }
    }
}
