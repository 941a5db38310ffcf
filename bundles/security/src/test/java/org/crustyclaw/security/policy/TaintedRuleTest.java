package org.crustyclaw.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.Subject;
import org.junit.jupiter.api.Test;

/** {@code tainted = true} rules match only actions taken with untrusted content in the agent's context. */
class TaintedRuleTest {

    static final String POLICY = """
            [[policy.rules]]
            id = "tools"
            role = "dev"
            action = "tool.call"
            resource = "tool.*"
            effect = "allow"

            [[policy.rules]]
            id = "tainted-external-asks"
            role = "*"
            action = "tool.call"
            resource = "tool.*"
            tainted = true
            effect = "ask"
            priority = 10
            """;

    @Test
    void taintedSubjectsHitTheTaintedRuleOthersDoNot() throws PolicyException {
        CompiledPolicy p = CompiledPolicyTest.compile(POLICY, CompiledPolicyTest.MONDAY_10);
        Subject dev = new Subject("ann", Set.of("dev"), Optional.empty(), Optional.empty());
        assertThat(p.evaluate(dev, "tool.call", "tool.git_push").effect()).isEqualTo(Effect.ALLOW);
        assertThat(p.evaluate(dev.withTainted(true), "tool.call", "tool.git_push").effect()).isEqualTo(Effect.ASK);
        assertThat(p.evaluate(dev.withTainted(true), "tool.call", "tool.git_push").rule()).isEqualTo("tainted-external-asks");
    }

    @Test
    void taintedMustBeABoolean() {
        assertThatThrownBy(() -> CompiledPolicyTest.compile(POLICY.replace("tainted = true", "tainted = \"yes\""),
                CompiledPolicyTest.MONDAY_10)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("crustyclaw.toml:13:1: policy.rules[1].tainted").hasMessageContaining("expected true or false");
    }
}
