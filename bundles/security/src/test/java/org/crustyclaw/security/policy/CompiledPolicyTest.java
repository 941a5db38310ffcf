package org.crustyclaw.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.api.sandbox.TrustTier;
import org.junit.jupiter.api.Test;

class CompiledPolicyTest {

    static final Clock MONDAY_10 = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    static final Clock MONDAY_20 = Clock.fixed(Instant.parse("2026-11-23T20:00:00Z"), ZoneOffset.UTC);
    static final Clock SUNDAY_10 = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    static final String POLICY = """
            [[policy.rules]]
            id = "ops-tools"
            role = "operator"
            action = "tool.call"
            resource = "tool.*"
            effect = "allow"

            [[policy.rules]]
            id = "ops-no-shell"
            role = "operator"
            action = "tool.call"
            resource = "tool.shell"
            effect = "deny"
            priority = 10

            [[policy.rules]]
            id = "ops-ask-shell"
            role = "operator"
            action = "tool.call"
            resource = "tool.shell"
            effect = "ask"
            priority = 10

            [[policy.rules]]
            id = "ops-override"
            role = "admin"
            action = "tool.*"
            resource = "*"
            effect = "allow"
            priority = 20

            [[policy.rules]]
            id = "everyone-read"
            role = "*"
            action = "fs.read"
            effect = "allow"

            [[policy.rules]]
            id = "signal-exec-office-hours"
            role = "dev"
            action = "sandbox.exec"
            channel = ["signal"]
            tier = ["trusted", "internal"]
            time = "09:00-17:00"
            days = ["mon", "tue", "wed", "thu", "fri"]
            effect = "allow"
            """;

    static Subject subject(String role) {
        return new Subject("alice", Set.of(role), Optional.empty(), Optional.empty());
    }

    static CompiledPolicy compile(String toml, Clock clock) throws PolicyException {
        return PolicyCompiler.compile("crustyclaw.toml", toml, clock);
    }

    @Test
    void noMatchingRuleMeansDefaultDeny() throws Exception {
        Verdict v = compile(POLICY, MONDAY_10).evaluate(subject("guest"), "tool.call", "tool.echo");
        assertThat(v.effect()).isEqualTo(Effect.DENY);
        assertThat(v.rule()).isEqualTo(Verdict.DEFAULT_DENY);
        assertThat(CompiledPolicy.denyAll().evaluate(subject("operator"), "x.y", "z").rule()).isEqualTo("default-deny");
    }

    @Test
    void wildcardResourceAllowsAndNamesTheRule() throws Exception {
        Verdict v = compile(POLICY, MONDAY_10).evaluate(subject("operator"), "tool.call", "tool.echo");
        assertThat(v.effect()).isEqualTo(Effect.ALLOW);
        assertThat(v.rule()).isEqualTo("ops-tools");
        assertThat(v.reason()).contains("crustyclaw.toml:1");
    }

    @Test
    void higherPriorityWinsAndDenyBeatsAskOnTies() throws Exception {
        Verdict v = compile(POLICY, MONDAY_10).evaluate(subject("operator"), "tool.call", "tool.shell");
        assertThat(v.effect()).isEqualTo(Effect.DENY);
        assertThat(v.rule()).isEqualTo("ops-no-shell");
        Verdict admin = compile(POLICY, MONDAY_10).evaluate(
                new Subject("root", Set.of("operator", "admin"), Optional.empty(), Optional.empty()), "tool.call", "tool.shell");
        assertThat(admin.rule()).isEqualTo("ops-override");
    }

    @Test
    void askBeatsAllowOnEqualPriority() throws Exception {
        String policy = """
                [[policy.rules]]
                id = "a"
                role = "r"
                action = "x.y"
                effect = "allow"
                [[policy.rules]]
                id = "b"
                role = "*"
                action = "x.*"
                effect = "ask"
                """;
        assertThat(compile(policy, MONDAY_10).evaluate(subject("r"), "x.y", "any").rule()).isEqualTo("b");
    }

    @Test
    void prefixWildcardDoesNotMatchTheBareName() throws Exception {
        assertThat(compile(POLICY, MONDAY_10).evaluate(subject("operator"), "tool.call", "tool").rule())
                .isEqualTo(Verdict.DEFAULT_DENY);
        assertThat(compile(POLICY, MONDAY_10).evaluate(subject("nobody"), "fs.read", "/etc/hosts").rule())
                .isEqualTo("everyone-read");
    }

    @Test
    void conditionsOnChannelTierAndTimeWindow() throws Exception {
        Subject fromSignal = new Subject("bob", Set.of("dev"), Optional.of("signal"), Optional.of(TrustTier.TRUSTED));
        Subject fromCli = new Subject("bob", Set.of("dev"), Optional.of("cli"), Optional.of(TrustTier.TRUSTED));
        Subject untrusted = new Subject("bob", Set.of("dev"), Optional.of("signal"), Optional.of(TrustTier.UNTRUSTED));
        assertThat(compile(POLICY, MONDAY_10).evaluate(fromSignal, "sandbox.exec", "x").effect()).isEqualTo(Effect.ALLOW);
        assertThat(compile(POLICY, MONDAY_10).evaluate(fromCli, "sandbox.exec", "x").effect()).isEqualTo(Effect.DENY);
        assertThat(compile(POLICY, MONDAY_10).evaluate(untrusted, "sandbox.exec", "x").effect()).isEqualTo(Effect.DENY);
        assertThat(compile(POLICY, MONDAY_20).evaluate(fromSignal, "sandbox.exec", "x").effect()).isEqualTo(Effect.DENY);
        assertThat(compile(POLICY, SUNDAY_10).evaluate(fromSignal, "sandbox.exec", "x").effect()).isEqualTo(Effect.DENY);
    }

    @Test
    void badWildcardsAreRefusedNamingThePattern() {
        assertThatThrownBy(() -> Wildcard.parse("to*ol")).hasMessageContaining("bad wildcard 'to*ol'");
        assertThatThrownBy(() -> Wildcard.parse("*.tool")).hasMessageContaining("bad wildcard '*.tool'");
        assertThatThrownBy(() -> Wildcard.parse("tool..x")).hasMessageContaining("empty segment");
        assertThat(Wildcard.parse("tool.*").matches("tool.fs.read")).isTrue();
    }

    @Test
    void manyRulesStillDecideCorrectly() throws Exception {
        StringBuilder toml = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            toml.append("[[policy.rules]]\nid = \"r").append(i).append("\"\nrole = \"role").append(i % 50)
                    .append("\"\naction = \"action").append(i).append("\"\nresource = \"res.*\"\neffect = \"allow\"\n");
        }
        CompiledPolicy p = compile(toml.toString(), MONDAY_10);
        assertThat(p.evaluate(subject("role7"), "action4007", "res.a").rule()).isEqualTo("r4007");
        assertThat(p.evaluate(subject("role8"), "action4007", "res.a").rule()).isEqualTo("default-deny");
        assertThat(p.rules()).hasSize(5000);
    }
}
