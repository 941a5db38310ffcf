package org.crustyclaw.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.util.List;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.policy.PolicyException;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {

    private static List<String> problems(String toml) {
        PolicyException e = catchThrowableOfType(PolicyException.class,
                () -> PolicyCompiler.compile("p.toml", toml, Clock.systemUTC()));
        assertThat(e).as("expected the policy to be rejected").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void everyInvalidRuleIsReportedWithFileLineAndReason() {
        List<String> found = problems("""
                [[policy.rules]]
                id = "a"
                role = "operator"
                action = "tool.call"
                effect = "permit"

                [[policy.rules]]
                id = "a"
                role = ""
                action = "to*ol"
                effect = "allow"
                """);
        assertThat(found).containsExactly(
                "p.toml:5:1: policy.rules[0].effect: unknown effect 'permit': expected allow, deny or ask",
                "p.toml:8:1: policy.rules[1].id: duplicate id 'a': already used at p.toml:2:1",
                "p.toml:9:1: policy.rules[1].role: is empty: expected '*', a dotted name or 'prefix.*'",
                "p.toml:10:1: policy.rules[1].action: bad wildcard 'to*ol': '*' may only stand alone or as the last segment after a dot, like 'tool.*'");
    }

    @Test
    void missingAndMistypedKeysAreNamed() {
        List<String> found = problems("""
                [[policy.rules]]
                id = "x"
                action = "a.b"
                effect = "allow"
                priorty = 3
                time = "9 to 5"
                tier = "alien"
                """);
        assertThat(found).anySatisfy(p -> assertThat(p).contains("priorty").contains("unknown key"));
        assertThat(found).anySatisfy(p -> assertThat(p).contains("policy.rules[0].role: missing"));
        assertThat(found).anySatisfy(p -> assertThat(p).contains("'9 to 5' is not a window"));
        assertThat(found).anySatisfy(p -> assertThat(p).contains("unknown trust tier 'alien'"));
    }

    @Test
    void malformedTomlIsReportedWithItsPosition() {
        assertThat(problems("[[policy.rules]\nid = 1")).singleElement().asString().startsWith("p.toml:1:");
    }

    @Test
    void fileWithoutPolicyIsDenyAll() throws Exception {
        assertThat(PolicyCompiler.compile("p.toml", "[server]\nport = 1\n", Clock.systemUTC()).rules()).isEmpty();
    }
}
