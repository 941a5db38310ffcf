package org.crustyclaw.sandbox.manager;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.api.sandbox.BackendStatus;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.Sandboxes.Refusal;

/**
 * Tier to level to backend, as a pure function of what is installed: a skill override
 * may raise the level freely and lower it only with a policy allow; a level is met by
 * the weakest available backend at or above it, never by a weaker one.
 */
final class Selector {

    static final String LOWER_ACTION = "sandbox.lower";

    private final Map<String, IsolationLevel> skillLevels;
    private final List<String> preference;

    Selector(Map<String, IsolationLevel> skillLevels, List<String> preference) {
        this.skillLevels = Map.copyOf(skillLevels);
        this.preference = List.copyOf(preference);
    }

    Choice select(List<SandboxBackend> backends, IsolationLevel required) {
        return backends.stream()
                .filter(b -> b.level().atLeast(required))
                .filter(b -> b.unavailableBecause().isEmpty())
                .min(Comparator.comparing(SandboxBackend::level).thenComparing(this::rank)
                        .thenComparing(SandboxBackend::name))
                .<Choice>map(b -> new Choice.Backend(b, required))
                .orElseGet(() -> Choice.refused("no available sandbox backend at level " + required + " or above", backends));
    }

    Choice select(List<SandboxBackend> backends, RunRequest request, Optional<PolicyEngine> policy) {
        IsolationLevel tierLevel = request.tier().requiredLevel();
        IsolationLevel required = tierLevel;
        Optional<IsolationLevel> override = request.skill().map(skillLevels::get);
        if (override.isPresent() && override.get().compareTo(tierLevel) < 0) {
            String skill = request.skill().orElseThrow();
            String what = "lowering skill '" + skill + "' from " + tierLevel + " (tier " + request.tier().label()
                    + ") to " + override.get();
            if (policy.isEmpty()) {
                return Choice.refused(what + " was refused: no policy engine is installed to allow " + LOWER_ACTION, backends);
            }
            Verdict verdict = policy.get().decide(request.subject(), LOWER_ACTION, "skill." + skill);
            if (verdict.effect() != Effect.ALLOW) {
                return Choice.refused(what + " was refused by policy (" + verdict.effect().label() + ", rule " + verdict.rule()
                        + ": " + verdict.reason() + ")", backends);
            }
            required = override.get();
        } else if (override.isPresent()) {
            required = override.get();
        }
        if (request.backend().isEmpty()) {
            Choice choice = select(backends, required);
            return choice instanceof Choice.Refused r
                    ? Choice.refused(r.refusal().reason() + " (tier " + request.tier().label() + " requires " + required + ")",
                            backends)
                    : choice;
        }
        String name = request.backend().get();
        Optional<SandboxBackend> named = backends.stream().filter(b -> b.name().equals(name)).findFirst();
        if (named.isEmpty()) {
            return Choice.refused("no sandbox backend named '" + name + "' is installed", backends);
        }
        SandboxBackend backend = named.get();
        if (!backend.level().atLeast(required)) {
            return Choice.refused("backend '" + name + "' gives " + backend.level() + " but tier " + request.tier().label()
                    + (required != tierLevel ? " with the override of skill '" + request.skill().orElseThrow() + "'" : "")
                    + " requires " + required, backends);
        }
        Optional<String> unavailable = backend.unavailableBecause();
        if (unavailable.isPresent()) {
            return Choice.refused("backend '" + name + "' cannot run here: " + unavailable.get(), backends);
        }
        return new Choice.Backend(backend, required);
    }

    private int rank(SandboxBackend backend) {
        int i = preference.indexOf(backend.name());
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    static Refusal refuse(String reason, List<SandboxBackend> backends) {
        return new Refusal(reason, backends.stream().map(BackendStatus::of).toList());
    }

    /**
     * Parses {@code skill=L3} entries.
     *
     * @throws IllegalArgumentException naming the entry and the expected form
     */
    static Map<String, IsolationLevel> parseSkillLevels(String[] entries) {
        Map<String, IsolationLevel> levels = new java.util.HashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("skill level override '" + entry + "' is not skill=LEVEL (e.g. build=L3)");
            }
            levels.put(entry.substring(0, eq).trim(), IsolationLevel.parse(entry.substring(eq + 1)));
        }
        return levels;
    }
}
