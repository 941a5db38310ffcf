package org.crustyclaw.security.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;

import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyRule;
import org.crustyclaw.api.policy.Subject;

/** A rule with its patterns compiled, ready to match without allocation. */
final class CompiledRule {

    /** Highest priority first; on ties deny, then ask, then allow; then the order written. */
    static final Comparator<CompiledRule> PRECEDENCE = Comparator.comparingInt((CompiledRule r) -> -r.rule.priority())
            .thenComparingInt(r -> -severity(r.rule.effect()))
            .thenComparingInt(r -> r.order);

    final PolicyRule rule;
    final Wildcard role;
    final Wildcard action;
    final Wildcard resource;
    final int order;
    /** Built once: a decision returns it without allocating. */
    final org.crustyclaw.api.policy.Verdict verdict;
    private final boolean conditional;

    CompiledRule(PolicyRule rule, int order) {
        this.rule = rule;
        this.role = Wildcard.parse(rule.role());
        this.action = Wildcard.parse(rule.action());
        this.resource = Wildcard.parse(rule.resource());
        this.order = order;
        this.verdict = new org.crustyclaw.api.policy.Verdict(rule.effect(), rule.id(), "rule " + rule.id() + " ("
                + rule.source() + ") says " + rule.effect().label() + " for role " + rule.role() + ", action "
                + rule.action() + ", resource " + rule.resource());
        this.conditional = !rule.channels().isEmpty() || !rule.tiers().isEmpty() || rule.window().isPresent()
                || rule.tainted().isPresent();
    }

    static int severity(Effect e) {
        return switch (e) {
            case ALLOW -> 0;
            case ASK -> 1;
            case DENY -> 2;
        };
    }

    /** Whether this rule outranks {@code other} (null means nothing to beat). */
    boolean beats(CompiledRule other) {
        return other == null || PRECEDENCE.compare(this, other) < 0;
    }

    boolean applies(String actionName, String resourceName, Subject subject, Instant now) {
        if (!action.matches(actionName) || !resource.matches(resourceName)) {
            return false;
        }
        if (!conditional) {
            return true;
        }
        if (!rule.channels().isEmpty() && (subject.channel().isEmpty() || !rule.channels().contains(subject.channel().get()))) {
            return false;
        }
        if (!rule.tiers().isEmpty() && (subject.tier().isEmpty() || !rule.tiers().contains(subject.tier().get()))) {
            return false;
        }
        if (rule.tainted().isPresent() && rule.tainted().get() != subject.tainted()) {
            return false;
        }
        if (rule.window().isPresent()) {
            PolicyRule.TimeWindow w = rule.window().get();
            ZonedDateTime t = now.atZone(ZoneOffset.UTC);
            DayOfWeek day = t.getDayOfWeek();
            LocalTime time = t.toLocalTime();
            if (!w.days().isEmpty() && !w.days().contains(day)) {
                return false;
            }
            boolean inside = w.from().isBefore(w.to())
                    ? !time.isBefore(w.from()) && time.isBefore(w.to())
                    : !time.isBefore(w.from()) || time.isBefore(w.to());
            return inside;
        }
        return true;
    }
}
