package org.crustyclaw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws IOException {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsPrintsTheOverviewAsAUsageError() throws IOException {
        assertThat(run()).isEqualTo(Main.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: crustyclaw", "start [--foreground]", "Exit codes");
    }

    @Test
    void helpForALocalVerbNeedsNoDaemon() throws IOException {
        assertThat(run("status", "--help")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: crustyclaw status [--json]", "3 when it does not");
        out.reset();
        assertThat(run("help", "daemon")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("crustyclaw stop", "crustyclaw shell");
    }

    @Test
    void unknownFlagsAndMissingSubcommandsAreUsageErrors() {
        assertThatThrownBy(() -> run("status", "--bogus")).isInstanceOf(Main.UsageException.class)
                .hasMessage("'status' does not take '--bogus'; it takes --json");
        assertThatThrownBy(() -> run("plugins")).isInstanceOf(Main.UsageException.class)
                .hasMessageContaining("'plugins' needs a verb: install, list, start, stop, uninstall");
        assertThatThrownBy(() -> run("--config")).isInstanceOf(Main.UsageException.class)
                .hasMessage("--config needs a value");
    }

    @Test
    void anUnknownAreaIsNamedWithTheAreasThereAre() {
        assertThatThrownBy(() -> run("frob!", "x")).isInstanceOf(Main.UsageException.class)
                .hasMessageContaining("unknown verb 'frob!'").hasMessageContaining("start, status, stop")
                .hasMessageContaining("audit, config, egress, plugins, policy, review, sandbox, secrets");
        assertThatThrownBy(() -> run("help", "Frob")).isInstanceOf(Main.UsageException.class).hasMessageContaining("unknown verb 'Frob'");
        assertThatThrownBy(() -> run("audit", "frob", "--help")).isInstanceOf(Main.UsageException.class)
                .hasMessage("unknown command 'audit frob'; 'audit' has: export, tail, verify");
    }

    @Test
    void configOptionIsTakenFromAnywhere() {
        List<String> args = new ArrayList<>(List.of("policy", "check", "--config", "p.toml", "--role", "admin"));
        assertThat(Main.takeOption(args, "--config")).contains("p.toml");
        assertThat(args).containsExactly("policy", "check", "--role", "admin");
    }
}
