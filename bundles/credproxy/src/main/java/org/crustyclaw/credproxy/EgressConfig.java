package org.crustyclaw.credproxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.egress.EgressLimits;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressRule;
import org.crustyclaw.api.egress.HostPattern;
import org.crustyclaw.api.egress.SecretGrant;
import org.crustyclaw.config.toml.Position;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlArray;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlInteger;
import org.crustyclaw.config.toml.TomlString;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.config.toml.TomlValue;

/**
 * The {@code [egress]} section: one table per skill (or run name) under {@code egress.skills},
 * with its limits, {@code [[egress.skills.NAME.rules]]} and {@code [[egress.skills.NAME.secrets]]}.
 * Every problem names file, line, column and key path; a skill without rules reaches nothing.
 *
 * <pre>
 * [egress.skills.forge]
 * requests_per_second = 20
 * [[egress.skills.forge.rules]]
 * name = "github"
 * host = "api.github.com"      # or "*.github.com"
 * ports = [443]                # default [80, 443]
 * methods = ["GET", "CONNECT"]
 * action = "allow"             # or "ask"
 * [[egress.skills.forge.secrets]]
 * secret = "GITHUB_TOKEN"      # name in the secret store
 * env = "GITHUB_TOKEN"         # default: the secret's name
 * hosts = ["api.github.com"]
 * </pre>
 */
final class EgressConfig {

    /** The policies by skill, or the problems that keep them from applying. */
    record Parsed(Map<String, EgressPolicy> policies, List<ConfigProblem> problems) {}

    private final List<ConfigProblem> problems = new ArrayList<>();

    private EgressConfig() {}

    static Parsed parse(String file, String toml) {
        EgressConfig c = new EgressConfig();
        Map<String, EgressPolicy> policies = new TreeMap<>();
        TomlTable root;
        try {
            root = Toml.parse(toml, file);
        } catch (TomlException e) {
            c.problems.add(new ConfigProblem(file, e.position().line(), e.position().column(), "", e.reason()));
            return new Parsed(Map.of(), c.problems);
        }
        Optional<TomlValue> section = root.get("egress");
        if (section.isEmpty()) {
            return new Parsed(Map.of(), List.of());
        }
        TomlTable egress = c.table(section.get(), "egress");
        if (egress == null) {
            return new Parsed(Map.of(), c.problems);
        }
        c.onlyKeys(egress, "egress", Set.of("skills"));
        TomlTable skills = egress.get("skills").map(v -> c.table(v, "egress.skills")).orElse(null);
        if (skills != null) {
            for (String skill : skills.keys()) {
                String path = "egress.skills." + skill;
                TomlTable t = c.table(skills.get(skill).orElseThrow(), path);
                if (t != null) {
                    c.policy(skill, t, path).ifPresent(p -> policies.put(skill, p));
                }
            }
        }
        return new Parsed(c.problems.isEmpty() ? Map.copyOf(policies) : Map.of(), List.copyOf(c.problems));
    }

    private Optional<EgressPolicy> policy(String skill, TomlTable t, String path) {
        int before = problems.size();
        onlyKeys(t, path, Set.of("rules", "secrets", "requests_per_second", "bytes_per_second", "total_bytes", "connections"));
        EgressLimits d = EgressLimits.DEFAULT;
        long rate = integer(t, path, "requests_per_second", d.requestsPerSecond(), Integer.MAX_VALUE);
        long bandwidth = integer(t, path, "bytes_per_second", d.bytesPerSecond(), Long.MAX_VALUE);
        long total = integer(t, path, "total_bytes", d.totalBytes(), Long.MAX_VALUE);
        long connections = integer(t, path, "connections", d.connections(), 100_000);
        List<EgressRule> rules = new ArrayList<>();
        for (TomlTable r : tables(t, path, "rules")) {
            String rp = path + ".rules";
            onlyKeys(r, rp, Set.of("name", "host", "ports", "methods", "action"));
            Optional<String> name = string(r, rp, "name", true);
            Optional<String> host = string(r, rp, "host", true);
            List<String> methods = strings(r, rp, "methods", true);
            List<Long> ports = integers(r, rp, "ports");
            String action = string(r, rp, "action", false).orElse("allow");
            if (!action.equals("allow") && !action.equals("ask")) {
                problem(r.get("action").orElseThrow().position(), rp + ".action", "'" + action + "' is not 'allow' or 'ask'");
            }
            if (name.isPresent() && host.isPresent() && !methods.isEmpty()) {
                Set<Integer> portSet = new LinkedHashSet<>();
                ports.forEach(p -> portSet.add(p.intValue() == p ? p.intValue() : -1));
                build(r.position(), rp, () -> rules.add(new EgressRule(name.get(), HostPattern.parse(host.get()),
                        ports.isEmpty() ? EgressRule.DEFAULT_PORTS : portSet, Set.copyOf(methods),
                        action.equals("ask") ? EgressRule.Action.ASK : EgressRule.Action.ALLOW)));
            }
        }
        List<SecretGrant> grants = new ArrayList<>();
        for (TomlTable g : tables(t, path, "secrets")) {
            String gp = path + ".secrets";
            onlyKeys(g, gp, Set.of("secret", "env", "hosts"));
            Optional<String> secret = string(g, gp, "secret", true);
            Optional<String> env = string(g, gp, "env", false);
            List<String> hosts = strings(g, gp, "hosts", true);
            if (secret.isPresent() && !hosts.isEmpty()) {
                build(g.position(), gp, () -> grants.add(new SecretGrant(secret.get(), env.orElse(secret.get()),
                        hosts.stream().map(HostPattern::parse).toList())));
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        List<EgressPolicy> out = new ArrayList<>();
        build(t.position(), path, () -> out.add(new EgressPolicy(skill, rules, grants,
                new EgressLimits((int) rate, bandwidth, total, (int) connections))));
        return out.stream().findFirst();
    }

    private void build(Position at, String path, Runnable make) {
        try {
            make.run();
        } catch (IllegalArgumentException e) {
            problem(at, path, e.getMessage());
        }
    }

    private TomlTable table(TomlValue v, String path) {
        if (v instanceof TomlTable t) {
            return t;
        }
        problem(v.position(), path, "is a " + v.typeName() + ": expected a table");
        return null;
    }

    private List<TomlTable> tables(TomlTable t, String path, String key) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            return List.of();
        }
        if (!(v.get() instanceof TomlArray a)) {
            problem(v.get().position(), path + "." + key, "is a " + v.get().typeName() + ": expected [[" + path + "." + key + "]] tables");
            return List.of();
        }
        List<TomlTable> out = new ArrayList<>();
        for (TomlValue e : a.values()) {
            TomlTable table = table(e, path + "." + key);
            if (table != null) {
                out.add(table);
            }
        }
        return out;
    }

    private void onlyKeys(TomlTable t, String path, Set<String> allowed) {
        for (String key : t.keys()) {
            if (!allowed.contains(key)) {
                problem(t.get(key).orElseThrow().position(), path + "." + key, "unknown key '" + key + "': expected one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private Optional<String> string(TomlTable t, String path, String key, boolean required) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            if (required) {
                problem(t.position(), path + "." + key, "missing: expected a string");
            }
            return Optional.empty();
        }
        if (v.get() instanceof TomlString s) {
            return Optional.of(s.value());
        }
        problem(v.get().position(), path + "." + key, "is a " + v.get().typeName() + ": expected a string");
        return Optional.empty();
    }

    private List<String> strings(TomlTable t, String path, String key, boolean required) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            if (required) {
                problem(t.position(), path + "." + key, "missing: expected an array of strings");
            }
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.get() instanceof TomlArray a && !a.values().isEmpty()) {
            for (TomlValue e : a.values()) {
                if (e instanceof TomlString s) {
                    out.add(s.value());
                } else {
                    problem(e.position(), path + "." + key, "holds a " + e.typeName() + ": expected strings");
                }
            }
            return out;
        }
        problem(v.get().position(), path + "." + key, "expected a non-empty array of strings");
        return List.of();
    }

    private List<Long> integers(TomlTable t, String path, String key) {
        Optional<TomlValue> v = t.get(key);
        List<Long> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        if (v.get() instanceof TomlArray a && !a.values().isEmpty()) {
            for (TomlValue e : a.values()) {
                if (e instanceof TomlInteger i) {
                    out.add(i.value());
                } else {
                    problem(e.position(), path + "." + key, "holds a " + e.typeName() + ": expected port numbers");
                }
            }
            return out;
        }
        problem(v.get().position(), path + "." + key, "expected a non-empty array of port numbers");
        return out;
    }

    private long integer(TomlTable t, String path, String key, long fallback, long max) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        if (v.get() instanceof TomlInteger i && i.value() >= 1 && i.value() <= max) {
            return i.value();
        }
        problem(v.get().position(), path + "." + key, "is " + v.get().typeName() + " " + describe(v.get())
                + ": expected an integer from 1 to " + max);
        return fallback;
    }

    private static String describe(TomlValue v) {
        return v instanceof TomlInteger i ? Long.toString(i.value()) : "";
    }

    private void problem(Position at, String path, String message) {
        problems.add(new ConfigProblem(at.file(), at.line(), at.column(), path, message));
    }
}
