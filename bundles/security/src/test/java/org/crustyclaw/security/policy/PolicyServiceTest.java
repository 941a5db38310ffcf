package org.crustyclaw.security.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyCaseResult;
import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyServiceTest {

    @TempDir
    Path dir;
    SqliteAuditLog audit;
    PolicyService policy;
    final Subject alice = new Subject("alice", Set.of("operator"), Optional.of("cli"), Optional.empty());

    static final String ALLOW_ECHO = """
            [[policy.rules]]
            id = "echo"
            role = "operator"
            action = "tool.call"
            resource = "tool.echo"
            effect = "allow"
            """;

    @BeforeEach
    void setUp() throws Exception {
        audit = new SqliteAuditLog(dir.resolve("crustyclaw.db"), s -> s, Duration.ofSeconds(10));
        policy = new PolicyService(audit, CompiledPolicyTest.MONDAY_10);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void everyDecisionIsAuditedWithItsRule() {
        policy.apply("crustyclaw.toml", ALLOW_ECHO);
        assertThat(policy.decide(alice, "tool.call", "tool.echo").effect()).isEqualTo(Effect.ALLOW);
        assertThat(policy.decide(alice, "tool.call", "tool.rm").effect()).isEqualTo(Effect.DENY);
        List<AuditEvent> events = audit.tail(3);
        assertThat(events).extracting(AuditEvent::type).containsExactly("config.reload", "policy.decision", "policy.decision");
        assertThat(events.get(1).payload()).containsEntry("rule", "echo").containsEntry("effect", "allow");
        assertThat(events.get(2).payload()).containsEntry("rule", "default-deny").containsEntry("resource", "tool.rm");
        assertThat(events.get(1).actor()).isEqualTo("alice");
    }

    @Test
    void rejectedReloadKeepsThePreviousPolicy() {
        policy.apply("crustyclaw.toml", ALLOW_ECHO);
        String broken = ALLOW_ECHO.replace("allow", "sometimes");
        assertThat(policy.check("crustyclaw.toml", broken)).singleElement().asString()
                .contains("crustyclaw.toml:6:1").contains("unknown effect 'sometimes'");
        assertThatThrownBy(() -> policy.apply("crustyclaw.toml", broken)).hasMessageContaining("previous policy stays in force");
        assertThat(policy.decide(alice, "tool.call", "tool.echo").rule()).isEqualTo("echo");
    }

    @Test
    void decisionsFailClosedWhenTheAuditLogIsGone() {
        policy.apply("crustyclaw.toml", ALLOW_ECHO);
        audit.close();
        Verdict v = policy.decide(alice, "tool.call", "tool.echo");
        assertThat(v.effect()).isEqualTo(Effect.DENY);
        assertThat(v.rule()).isEqualTo(Verdict.AUDIT_UNAVAILABLE);
    }

    @Test
    void policyFilesAndTableDrivenTestsRunWithoutTheDaemonPolicy() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.toml"), ALLOW_ECHO);
        Path cases = Files.writeString(dir.resolve("policy-test.toml"), """
                [[case]]
                name = "operator may echo"
                role = "operator"
                action = "tool.call"
                resource = "tool.echo"
                expect = "allow"
                rule = "echo"

                [[case]]
                name = "operator may not rm"
                role = "operator"
                action = "tool.call"
                resource = "tool.rm"
                expect = "allow"
                """);
        List<PolicyCaseResult> results = policy.test(cases, policy.load(file));
        assertThat(results).extracting(PolicyCaseResult::name, PolicyCaseResult::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("operator may echo", true),
                        org.assertj.core.groups.Tuple.tuple("operator may not rm", false));
        assertThat(results.get(1).actual().rule()).isEqualTo("default-deny");
        assertThat(policy.current().rules()).as("load does not put the file in force").isEmpty();
    }

    @Test
    void unreadableFilesAreClearErrors() throws Exception {
        assertThatThrownBy(() -> policy.load(dir.resolve("nope.toml"))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("nope.toml").hasMessageContaining("does not exist");
        Path bad = Files.write(dir.resolve("bad.toml"), new byte[] {'a', '=', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> policy.load(bad)).hasMessageContaining("not valid UTF-8");
        Path cases = Files.writeString(dir.resolve("c.toml"), "[[case]]\nrole = \"x\"\naction = \"a.b\"\nexpect = \"maybe\"\n");
        assertThatThrownBy(() -> policy.test(cases, policy.current())).hasMessageContaining("c.toml:4:1")
                .hasMessageContaining("unknown effect 'maybe'");
    }
}
