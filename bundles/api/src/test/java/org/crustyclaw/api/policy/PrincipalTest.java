package org.crustyclaw.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.crustyclaw.api.policy.Principal.Authenticated;
import org.crustyclaw.api.policy.Principal.Authorization;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    /** A policy that answers with a fixed effect for action {@code x.y} and denies the rest. */
    static PolicyEngine answering(Effect effect) {
        return new PolicyEngine() {
            @Override
            public Verdict decide(Subject subject, String action, String resource) {
                return action.equals("x.y") ? new Verdict(effect, "r1", "test") : new Verdict(Effect.DENY, Verdict.DEFAULT_DENY, "none");
            }

            @Override
            public Policy current() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Policy load(Path file) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<PolicyCaseResult> test(Path cases, Policy policy) {
                throw new UnsupportedOperationException();
            }
        };
    }

    final Authenticated alice = new Authenticated("alice", Set.of("operator"), "signal", "signal-number");

    @Test
    void onlyAnAllowDecisionYieldsAnAuthorizedPrincipalForThatAction() {
        Authorization granted = alice.authorize(answering(Effect.ALLOW), "x.y", "res.a");
        assertThat(granted).isInstanceOf(Authorization.Granted.class);
        Principal.Authorized who = ((Authorization.Granted) granted).principal();
        assertThat(who.covers("x.y", "res.a")).isTrue();
        assertThat(who.covers("x.y", "res.b")).isFalse();
        assertThat(who.verdict().rule()).isEqualTo("r1");
        assertThat(alice.authorize(answering(Effect.ASK), "x.y", "res.a")).isInstanceOf(Authorization.NeedsApproval.class);
        assertThat(alice.authorize(answering(Effect.ALLOW), "other.action", "res.a")).isInstanceOf(Authorization.Refused.class);
    }

    @Test
    void subjectCarriesTheChannelAndRoles() {
        Subject s = alice.subject(java.util.Optional.empty());
        assertThat(s.channel()).contains("signal");
        assertThat(s.roles()).containsExactly("operator");
    }
}
