package org.crustyclaw.api.policy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.sandbox.TrustTier;

/**
 * One rule of the policy, as written in {@code [[policy.rules]]}.
 *
 * <p>{@code role}, {@code action} and {@code resource} are either {@code *} (anything), an
 * exact dotted name, or a dotted prefix ending in {@code .*} ({@code tool.*} matches
 * {@code tool.echo} and {@code tool.fs.read}, not {@code tool}). No other wildcard is
 * accepted. Empty condition sets mean "any".
 *
 * @param id       unique within the policy; decisions name it
 * @param role     the role it applies to
 * @param action   the action pattern, e.g. {@code sandbox.exec}
 * @param resource the resource pattern, e.g. {@code tool.*}
 * @param effect   what it decides
 * @param priority higher wins; among equal priorities deny beats ask beats allow
 * @param channels channels it is limited to; empty for any
 * @param tiers    trust tiers it is limited to; empty for any
 * @param window   the time of day (UTC) it is limited to, if any
 * @param source   {@code file:line} where it was written
 * @param tainted  when set, the rule matches only subjects whose {@link Subject#tainted()} equals it
 */
public record PolicyRule(String id, String role, String action, String resource, Effect effect, int priority,
        Set<String> channels, Set<TrustTier> tiers, Optional<TimeWindow> window, String source,
        Optional<Boolean> tainted) {

    /** A rule without a taint condition. */
    public PolicyRule(String id, String role, String action, String resource, Effect effect, int priority,
            Set<String> channels, Set<TrustTier> tiers, Optional<TimeWindow> window, String source) {
        this(id, role, action, resource, effect, priority, channels, tiers, window, source, Optional.empty());
    }

    public PolicyRule {
        channels = Set.copyOf(channels);
        tiers = Set.copyOf(tiers);
        if (id.isBlank()) {
            throw new IllegalArgumentException("policy rule id is blank");
        }
    }

    /**
     * A daily window in UTC, {@code from} inclusive, {@code to} exclusive; when {@code to}
     * is before {@code from} the window wraps midnight. Empty {@code days} means every day.
     */
    public record TimeWindow(LocalTime from, LocalTime to, Set<DayOfWeek> days) {
        public TimeWindow {
            days = Set.copyOf(days);
            if (from.equals(to)) {
                throw new IllegalArgumentException("time window " + from + "-" + to + " is empty");
            }
        }
    }
}
