package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Runs the script of actions/policy-test/action.yml the way a Forgejo runner would. */
class PolicyActionTest {

    static final Path ACTION = Path.of("../actions/policy-test").toAbsolutePath().normalize();

    record Run(int exit, String output) {}

    /** The {@code run: |} block of the action, executed with the inputs as the action maps them. */
    static Run runAction(Path config, Path tests) throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(ACTION.resolve("action.yml"), StandardCharsets.UTF_8);
        int start = lines.indexOf(lines.stream().filter(l -> l.strip().equals("run: |")).findFirst().orElseThrow()) + 1;
        StringBuilder script = new StringBuilder();
        for (String line : lines.subList(start, lines.size())) {
            script.append(line.strip()).append('\n');
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script.toString()).redirectErrorStream(true);
        pb.environment().put("CONFIG", config.toString());
        pb.environment().put("TESTS", tests.toString());
        pb.environment().put("CRUSTYCLAW_BIN", Installation.HOME.resolve("bin/crustyclaw").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void theShippedExamplePasses() throws Exception {
        Run run = runAction(ACTION.resolve("example-policy.toml"), ACTION.resolve("example-cases.toml"));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("generated code needs a human", "PASS").doesNotContain("FAIL");
    }

    @Test
    void aFailingCaseFailsTheJob() throws Exception {
        Path dir = Files.createTempDirectory("crustyclaw-it-action");
        Path cases = Files.writeString(dir.resolve("cases.toml"), """
                [[case]]
                name = "guests may not call tools"
                role = "guest"
                action = "tool.call"
                resource = "tool.echo"
                expect = "allow"
                """);
        Run run = runAction(ACTION.resolve("example-policy.toml"), cases);
        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("guests may not call tools", "FAIL", "default-deny");
    }
}
