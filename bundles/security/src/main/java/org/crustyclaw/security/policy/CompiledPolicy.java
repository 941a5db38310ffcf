package org.crustyclaw.security.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.Policy;
import org.crustyclaw.api.policy.PolicyRule;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;

/**
 * An immutable rule set indexed by role, then by action: a decision looks up the subject's
 * roles, then the rules already sorted by precedence for that exact action, and stops at the
 * first that applies. Rules with wildcard actions are merged into every exact action's list
 * at compile time, and kept in their own list for actions no rule names exactly.
 */
public final class CompiledPolicy implements Policy {

    private static final CompiledRule[] NONE = new CompiledRule[0];

    /** The rules of one role pattern. */
    private static final class RoleRules {
        final Map<String, CompiledRule[]> byAction = new HashMap<>();
        CompiledRule[] wildcardActions = NONE;

        CompiledRule first(String action, String resource, Subject subject, Clock clock) {
            CompiledRule[] candidates = byAction.getOrDefault(action, wildcardActions);
            java.time.Instant now = null;
            for (CompiledRule r : candidates) {
                if (r.rule.window().isPresent() && now == null) {
                    now = clock.instant();
                }
                if (r.applies(action, resource, subject, now)) {
                    return r;
                }
            }
            return null;
        }
    }

    private final String source;
    private final List<PolicyRule> rules;
    private final Map<String, RoleRules> byRole = new HashMap<>();
    private final List<Map.Entry<Wildcard, RoleRules>> patternRoles = new ArrayList<>();
    private final RoleRules anyRole;
    private final Clock clock;

    public CompiledPolicy(String source, List<PolicyRule> rules, Clock clock) {
        this.source = source;
        this.rules = List.copyOf(rules);
        this.clock = clock;
        Map<String, List<CompiledRule>> grouped = new HashMap<>();
        Map<String, Wildcard> rolePatterns = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            CompiledRule r = new CompiledRule(rules.get(i), i);
            grouped.computeIfAbsent(rules.get(i).role(), k -> new ArrayList<>()).add(r);
            rolePatterns.put(rules.get(i).role(), r.role);
        }
        RoleRules any = null;
        for (Map.Entry<String, List<CompiledRule>> e : grouped.entrySet()) {
            RoleRules rr = index(e.getValue());
            Wildcard role = rolePatterns.get(e.getKey());
            switch (role.kind()) {
                case ANY -> any = rr;
                case EXACT -> byRole.put(role.exact(), rr);
                case PREFIX -> patternRoles.add(Map.entry(role, rr));
            }
        }
        this.anyRole = any;
    }

    /** The default policy: no rules, everything denied. */
    public static CompiledPolicy denyAll() {
        return new CompiledPolicy("(empty)", List.of(), Clock.systemUTC());
    }

    private static RoleRules index(List<CompiledRule> rules) {
        RoleRules rr = new RoleRules();
        List<CompiledRule> wildcards = new ArrayList<>();
        Set<String> exactActions = new LinkedHashSet<>();
        for (CompiledRule r : rules) {
            if (r.action.kind() == Wildcard.Kind.EXACT) {
                exactActions.add(r.action.exact());
            } else {
                wildcards.add(r);
            }
        }
        wildcards.sort(CompiledRule.PRECEDENCE);
        rr.wildcardActions = wildcards.toArray(NONE);
        for (String action : exactActions) {
            List<CompiledRule> list = new ArrayList<>();
            for (CompiledRule r : rules) {
                if (r.action.matches(action)) {
                    list.add(r);
                }
            }
            list.sort(CompiledRule.PRECEDENCE);
            rr.byAction.put(action, list.toArray(NONE));
        }
        return rr;
    }

    @Override
    public List<PolicyRule> rules() {
        return rules;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Verdict evaluate(Subject subject, String action, String resource) {
        CompiledRule best = null;
        for (String role : subject.roles()) {
            RoleRules rr = byRole.get(role);
            if (rr != null) {
                best = better(best, rr.first(action, resource, subject, clock));
            }
            for (int i = 0; i < patternRoles.size(); i++) {
                Map.Entry<Wildcard, RoleRules> e = patternRoles.get(i);
                if (e.getKey().matches(role)) {
                    best = better(best, e.getValue().first(action, resource, subject, clock));
                }
            }
        }
        if (anyRole != null) {
            best = better(best, anyRole.first(action, resource, subject, clock));
        }
        if (best == null) {
            return new Verdict(Effect.DENY, Verdict.DEFAULT_DENY, "no rule matches " + action + " on " + resource
                    + " for roles " + subject.roles());
        }
        return best.verdict;
    }

    private static CompiledRule better(CompiledRule current, CompiledRule candidate) {
        return candidate != null && candidate.beats(current) ? candidate : current;
    }
}
