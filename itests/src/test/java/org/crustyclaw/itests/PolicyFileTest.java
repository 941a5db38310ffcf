package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code policy list|check|test --config FILE} with a file that does not load: the located
 * problems and a non-zero exit, never an answer from the deny-all policy (issue 8). The same
 * for the {@code actions/policy-test} action a CI job runs.
 */
class PolicyFileTest {

    static Installation dist;
    static Path cases;
    static Path badEffect;
    static Path emptyRole;
    static Path missing;

    @BeforeAll
    static void create() throws IOException {
        dist = Installation.create("policyfile");
        cases = dist.write("cases.toml", """
                [[case]]
                name = "guests may not call tools"
                role = "guest"
                action = "tool.call"
                resource = "tool.echo"
                expect = "deny"
                """);
        badEffect = dist.write("bad-effect.toml", """
                [[policy.rules]]
                id = "ops"
                role = "operator"
                action = "tool.call"
                effect = "maybe"
                """);
        emptyRole = dist.write("empty-role.toml", """
                [[policy.rules]]
                id = "ops"
                role = ""
                action = "tool.call"
                effect = "allow"
                """);
        missing = dist.root.resolve("no-such-policy.toml");
    }

    @AfterAll
    static void close() {
        dist.close();
    }

    private static Path file(String which) {
        return switch (which) {
            case "effect" -> badEffect;
            case "role" -> emptyRole;
            default -> missing;
        };
    }

    private static String located(String which) {
        return switch (which) {
            case "effect" -> badEffect + ":5:1: policy.rules[0].effect: unknown effect 'maybe'";
            case "role" -> emptyRole + ":3:1: policy.rules[0].role: is empty";
            default -> missing + ": no such file";
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"effect", "role", "missing"})
    void policyTestFailsOnAFileThatDoesNotLoad(String which) {
        Result r = dist.run("--config", file(which).toString(), "policy", "test", cases.toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).as("%s", r).contains(located(which));
        assertThat(r.out()).as("no case is evaluated: %s", r).doesNotContain("PASS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"effect", "role", "missing"})
    void policyListFailsOnAFileThatDoesNotLoad(String which) {
        Result r = dist.run("policy", "list", "--config", file(which).toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).as("%s", r).contains(located(which));
        assertThat(r.all()).as("%s", r).doesNotContain("(empty)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"effect", "role", "missing"})
    void policyCheckFailsOnAFileThatDoesNotLoad(String which) {
        Result r = dist.run("policy", "check", "--role", "guest", "--action", "tool.call", "--config", file(which).toString());
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).as("%s", r).contains(located(which));
        assertThat(r.out()).as("%s", r).doesNotContain("deny");
    }

    @ParameterizedTest
    @ValueSource(strings = {"effect", "role", "missing"})
    void theActionFailsTheJobOnAFileThatDoesNotLoad(String which) throws Exception {
        PolicyActionTest.Run run = PolicyActionTest.runAction(file(which), cases);
        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains(located(which)).doesNotContain("PASS");
    }
}
