package org.crustyclaw.security.policy;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.PolicyRule;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.config.toml.Position;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.config.toml.TomlValue;

/**
 * Reads {@code [[policy.rules]]} from TOML text into a {@link CompiledPolicy}, collecting
 * every problem (with file, line and reason) rather than stopping at the first.
 */
public final class PolicyCompiler {

    static final Set<String> RULE_KEYS = Set.of("id", "role", "action", "resource", "effect", "priority", "channel",
            "tier", "time", "days", "description", "tainted");
    static final int MAX_RULES = 100_000;
    private static final long MAX_PRIORITY = 1_000_000;

    private PolicyCompiler() {}

    /** Compiles a whole file's text; a file without a {@code [policy]} table is the deny-all policy. */
    public static CompiledPolicy compile(String file, String toml, Clock clock) throws PolicyException {
        TomlTable root;
        try {
            root = Toml.parse(toml, file);
        } catch (TomlException e) {
            Position p = e.position();
            throw new PolicyException(List.of(new ConfigProblem(p.file(), p.line(), p.column(), "", e.reason())));
        }
        return compile(root, file, clock);
    }

    public static CompiledPolicy compile(TomlTable root, String file, Clock clock) throws PolicyException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<PolicyRule> rules = rules(root, problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new CompiledPolicy(file, rules, clock);
    }

    static List<PolicyRule> rules(TomlTable root, List<ConfigProblem> problems) {
        List<PolicyRule> rules = new ArrayList<>();
        Optional<TomlValue> section = root.get("policy");
        if (section.isEmpty()) {
            return rules;
        }
        if (!(section.get() instanceof TomlTable policy)) {
            Position p = section.get().position();
            problems.add(new ConfigProblem(p.file(), p.line(), p.column(), "policy",
                    "is " + section.get().typeName() + ": expected a table with [[policy.rules]]"));
            return rules;
        }
        TomlReader top = new TomlReader(problems, policy, "policy");
        top.onlyKeys(Set.of("rules"));
        List<TomlTable> tables = top.tables("rules");
        if (tables.size() > MAX_RULES) {
            top.problem(policy.position(), "rules", tables.size() + " rules: expected at most " + MAX_RULES);
            return rules;
        }
        Map<String, Position> ids = new HashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            rule(new TomlReader(problems, tables.get(i), "policy.rules[" + i + "]"), ids).ifPresent(rules::add);
        }
        return rules;
    }

    private static Optional<PolicyRule> rule(TomlReader t, Map<String, Position> ids) {
        int before = problemCount(t);
        t.onlyKeys(RULE_KEYS);
        Position at = t.position();
        String id = t.string("id", true).orElse("");
        if (t.string("id", false).isPresent()) {
            if (id.isBlank()) {
                t.problem(t.positionOf("id"), "id", "is empty: expected a unique rule name");
            } else if (ids.containsKey(id)) {
                t.problem(t.positionOf("id"), "id", "duplicate id '" + id + "': already used at " + ids.get(id));
            } else {
                ids.put(id, t.positionOf("id"));
            }
        }
        String role = pattern(t, "role", true);
        String action = pattern(t, "action", true);
        String resource = t.string("resource", false).isPresent() ? pattern(t, "resource", false) : "*";
        Effect effect = null;
        Optional<String> effectText = t.string("effect", true);
        if (effectText.isPresent()) {
            try {
                effect = Effect.parse(effectText.get());
            } catch (IllegalArgumentException e) {
                t.problem(t.positionOf("effect"), "effect", e.getMessage());
            }
        }
        long priority = t.integer("priority").orElse(0L);
        if (Math.abs(priority) > MAX_PRIORITY) {
            t.problem(t.positionOf("priority"), "priority", priority + " is out of range: expected -" + MAX_PRIORITY
                    + " to " + MAX_PRIORITY);
        }
        Set<String> channels = new HashSet<>();
        for (String c : t.strings("channel")) {
            if (c.isBlank()) {
                t.problem(t.positionOf("channel"), "channel", "is empty: expected a channel name such as 'signal'");
            }
            channels.add(c);
        }
        Set<TrustTier> tiers = EnumSet.noneOf(TrustTier.class);
        for (String tier : t.strings("tier")) {
            try {
                tiers.add(TrustTier.parse(tier));
            } catch (IllegalArgumentException e) {
                t.problem(t.positionOf("tier"), "tier", e.getMessage());
            }
        }
        Optional<PolicyRule.TimeWindow> window = window(t);
        Optional<Boolean> tainted = t.bool("tainted");
        if (problemCount(t) > before || effect == null) {
            return Optional.empty();
        }
        return Optional.of(new PolicyRule(id, role, action, resource, effect, (int) priority, channels, tiers, window,
                at.file() + ":" + at.line(), tainted));
    }

    private static String pattern(TomlReader t, String key, boolean required) {
        Optional<String> text = t.string(key, required);
        if (text.isEmpty()) {
            return "";
        }
        if (text.get().isBlank()) {
            t.problem(t.positionOf(key), key, "is empty: expected '*', a dotted name or 'prefix.*'");
            return "";
        }
        try {
            Wildcard.parse(text.get());
        } catch (IllegalArgumentException e) {
            t.problem(t.positionOf(key), key, e.getMessage());
        }
        return text.get();
    }

    private static Optional<PolicyRule.TimeWindow> window(TomlReader t) {
        Optional<String> time = t.string("time", false);
        List<String> dayNames = t.strings("days");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : dayNames) {
            DayOfWeek day = day(d);
            if (day == null) {
                t.problem(t.positionOf("days"), "days", "unknown day '" + d + "': expected mon, tue, wed, thu, fri, sat or sun");
            } else {
                days.add(day);
            }
        }
        if (time.isEmpty()) {
            if (!days.isEmpty()) {
                return Optional.of(new PolicyRule.TimeWindow(LocalTime.MIDNIGHT, LocalTime.MAX, days));
            }
            return Optional.empty();
        }
        String[] parts = time.get().split("-", -1);
        try {
            if (parts.length != 2) {
                throw new DateTimeParseException("no single '-'", time.get(), 0);
            }
            LocalTime from = LocalTime.parse(parts[0].trim());
            LocalTime to = LocalTime.parse(parts[1].trim());
            if (from.equals(to)) {
                t.problem(t.positionOf("time"), "time", "window '" + time.get() + "' is empty: expected two different times");
                return Optional.empty();
            }
            return Optional.of(new PolicyRule.TimeWindow(from, to, days));
        } catch (DateTimeParseException e) {
            t.problem(t.positionOf("time"), "time", "'" + time.get() + "' is not a window: expected 'HH:MM-HH:MM' in UTC, e.g. '09:00-17:30'");
            return Optional.empty();
        }
    }

    private static DayOfWeek day(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (n.equals(full) || n.equals(full.substring(0, 3))) {
                return d;
            }
        }
        return null;
    }

    private static int problemCount(TomlReader t) {
        return t.problemCount();
    }
}
