package org.crustyclaw.sandbox.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.api.sandbox.BackendStatus;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.Sandboxes.Chosen;
import org.crustyclaw.api.sandbox.Sandboxes.Refusal;
import org.crustyclaw.api.sandbox.Sandboxes.Selection;
import org.crustyclaw.api.sandbox.TrustTier;
import org.junit.jupiter.api.Test;

class SelectorTest {

    static final Subject ALICE = new Subject("alice", Set.of("operator"), Optional.empty(), Optional.empty());
    private final FakeBackend runc = new FakeBackend("docker-runc", IsolationLevel.L1);
    private final FakeBackend bwrap = new FakeBackend("bwrap", IsolationLevel.L2);
    private final FakeBackend runsc = new FakeBackend("docker-runsc", IsolationLevel.L2);
    private final FakeBackend qemu = new FakeBackend("qemu-microvm", IsolationLevel.L3,
            Optional.of("no qemu-system-x86_64"));
    private final List<SandboxBackend> all = List.of(runsc, qemu, bwrap, runc);
    private final Selector selector = new Selector(Map.of("build", IsolationLevel.L3, "fmt", IsolationLevel.L1),
            List.of("bwrap", "docker-runc", "docker-runsc"));

    @Test
    void eachTierGetsTheWeakestBackendThatMeetsItsLevel() {
        assertThat(chosen(select(all, RunRequest.of(ALICE, TrustTier.TRUSTED, List.of("true")), none())))
                .isEqualTo("docker-runc");
        assertThat(chosen(select(all, RunRequest.of(ALICE, TrustTier.INTERNAL, List.of("true")), none())))
                .isEqualTo("bwrap");
    }

    @Test
    void neverFallsBackToAWeakerLevelAndSaysWhatIsInstalled() {
        Selection s = select(all, RunRequest.of(ALICE, TrustTier.LLM_GENERATED, List.of("true")), none());
        assertThat(s).isInstanceOf(Refusal.class);
        Refusal r = (Refusal) s;
        assertThat(r.reason()).contains("L3").contains("llm-generated");
        assertThat(r.installed()).extracting(BackendStatus::name)
                .containsExactlyInAnyOrder("docker-runc", "bwrap", "docker-runsc", "qemu-microvm");
        assertThat(r.installed()).filteredOn(b -> b.name().equals("qemu-microvm")).first()
                .extracting(BackendStatus::unavailableBecause).isEqualTo(Optional.of("no qemu-system-x86_64"));
    }

    @Test
    void aSkillOverrideRaisesTheLevelWithoutAsking() {
        Selection s = select(List.of(runc, bwrap),
                RunRequest.of(ALICE, TrustTier.TRUSTED, List.of("make")).withSkill("build"), none());
        assertThat(s).isInstanceOf(Refusal.class);
        assertThat(((Refusal) s).reason()).contains("L3");
    }

    @Test
    void loweringIsRefusedWithoutAPolicyEngine() {
        Selection s = select(all, RunRequest.of(ALICE, TrustTier.INTERNAL, List.of("fmt")).withSkill("fmt"),
                none());
        assertThat(((Refusal) s).reason()).contains("lowering skill 'fmt' from L2").contains("no policy engine");
    }

    @Test
    void loweringFollowsThePolicyDecision() {
        RecordingPolicy deny = new RecordingPolicy(Effect.DENY);
        Selection denied = select(all, RunRequest.of(ALICE, TrustTier.INTERNAL, List.of("fmt")).withSkill("fmt"),
                Optional.of(deny));
        assertThat(((Refusal) denied).reason()).contains("refused by policy").contains("rule r1");
        assertThat(deny.asked).containsExactly("alice sandbox.lower skill.fmt");

        Selection allowed = select(all, RunRequest.of(ALICE, TrustTier.INTERNAL, List.of("fmt"))
                .withSkill("fmt"), Optional.of(new RecordingPolicy(Effect.ALLOW)));
        assertThat(chosen(allowed)).isEqualTo("docker-runc");
        assertThat(((Chosen) allowed).required()).isEqualTo(IsolationLevel.L1);
    }

    @Test
    void aBackendAskedForByNameMustStillMeetTheLevel() {
        Selection weak = select(all, RunRequest.of(ALICE, TrustTier.INTERNAL, List.of("true"))
                .withBackend("docker-runc"), none());
        assertThat(((Refusal) weak).reason()).isEqualTo("backend 'docker-runc' gives L1 but tier internal requires L2");
        Selection strong = select(all, RunRequest.of(ALICE, TrustTier.TRUSTED, List.of("true"))
                .withBackend("docker-runsc"), none());
        assertThat(chosen(strong)).isEqualTo("docker-runsc");
        Selection missing = select(all, RunRequest.of(ALICE, TrustTier.TRUSTED, List.of("true"))
                .withBackend("firecracker"), none());
        assertThat(((Refusal) missing).reason()).contains("no sandbox backend named 'firecracker'");
        Selection unavailable = select(all, RunRequest.of(ALICE, TrustTier.UNTRUSTED, List.of("true"))
                .withBackend("qemu-microvm"), none());
        assertThat(((Refusal) unavailable).reason()).contains("cannot run here: no qemu-system-x86_64");
    }

    @Test
    void rejectsAMalformedOverrideNamingIt() {
        assertThatThrownBy(() -> Selector.parseSkillLevels(new String[] {"build:L3"}))
                .hasMessageContaining("'build:L3'").hasMessageContaining("skill=LEVEL");
        assertThatThrownBy(() -> Selector.parseSkillLevels(new String[] {"build=L9"})).hasMessageContaining("'L9'");
    }

    private Selection select(List<SandboxBackend> backends, RunRequest request, Optional<PolicyEngine> policy) {
        return selector.select(backends, request, policy).selection();
    }

    private static Optional<PolicyEngine> none() {
        return Optional.empty();
    }

    private static String chosen(Selection s) {
        assertThat(s).isInstanceOf(Chosen.class);
        return ((Chosen) s).backend().name();
    }

    static final class RecordingPolicy implements PolicyEngine {
        final Effect effect;
        final List<String> asked = new ArrayList<>();

        RecordingPolicy(Effect effect) {
            this.effect = effect;
        }

        @Override
        public Verdict decide(Subject subject, String action, String resource) {
            asked.add(subject.principal() + " " + action + " " + resource);
            return new Verdict(effect, "r1", "because the test says so");
        }

        @Override
        public org.crustyclaw.api.policy.Policy current() {
            throw new UnsupportedOperationException("not used by the sandbox manager");
        }

        @Override
        public org.crustyclaw.api.policy.Policy load(java.nio.file.Path file) {
            throw new UnsupportedOperationException("not used by the sandbox manager");
        }

        @Override
        public List<org.crustyclaw.api.policy.PolicyCaseResult> test(java.nio.file.Path cases,
                org.crustyclaw.api.policy.Policy policy) {
            throw new UnsupportedOperationException("not used by the sandbox manager");
        }
    }
}
