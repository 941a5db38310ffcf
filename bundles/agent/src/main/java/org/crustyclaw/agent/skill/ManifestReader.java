package org.crustyclaw.agent.skill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.config.toml.Position;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlArray;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlFloat;
import org.crustyclaw.config.toml.TomlInteger;
import org.crustyclaw.config.toml.TomlString;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.config.toml.TomlValue;

/**
 * Reads {@code skills/NAME/skill.toml}: every unknown key and bad value is a problem with
 * {@code file:line:column}, all of them reported at once; a manifest with any problem does
 * not load. The prompt file must be a regular file inside the skill's directory.
 */
public final class ManifestReader {

    public static final String FILE = "skill.toml";
    static final int MAX_PROMPT_BYTES = 256 * 1024;

    private static final Map<String, Set<String>> KEYS = Map.of(
            "", Set.of("name", "description", "version", "tier", "prompt", "tools", "egress_hosts", "secrets", "model",
                    "limits", "budgets", "review"),
            "model", Set.of("provider", "model"),
            "limits", Set.of("memory", "cpus", "processes", "timeout", "disk"),
            "budgets", Set.of("iterations", "tokens", "wall_clock", "cost_usd", "max_tokens_per_turn"),
            "review", Set.of("mode", "gates"));

    /** A manifest, or why not. */
    public sealed interface Result permits Loaded, Rejected {}

    public record Loaded(SkillManifest manifest) implements Result {}

    public record Rejected(List<ConfigProblem> problems) implements Result {
        public Rejected {
            problems = List.copyOf(problems);
        }
    }

    private final Path file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ManifestReader(Path file) {
        this.file = file;
    }

    /** Reads a skill directory or its {@code skill.toml}. */
    public static Result read(Path skill) {
        Path file = Files.isDirectory(skill) ? skill.resolve(FILE) : skill;
        return new ManifestReader(file.toAbsolutePath().normalize()).read();
    }

    private Result read() {
        String name = file.toString();
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return reject(0, 0, "", "not a regular file: expected a skill directory holding " + FILE);
        }
        TomlTable root;
        try {
            root = Toml.parse(Files.readAllBytes(file), name);
        } catch (TomlException e) {
            return reject(e.position().line(), e.position().column(), "", e.reason());
        } catch (IOException e) {
            return reject(0, 0, "", "cannot read: " + e.getMessage());
        }
        unknownKeys(root, "");
        String skill = string(root, "", "name", null);
        String description = string(root, "", "description", null);
        String version = string(root, "", "version", "0.0.0");
        TrustTier tier = parse(root, "", "tier", TrustTier.TRUSTED, TrustTier::parse);
        String prompt = prompt(root);
        List<String> tools = strings(root, "", "tools", "[a-z0-9][a-z0-9_-]{0,63}", "a tool name");
        List<String> hosts = strings(root, "", "egress_hosts", "(\\*\\.)?[A-Za-z0-9.-]{1,253}", "a host name");
        List<String> secrets = strings(root, "", "secrets", "[A-Za-z0-9_.-]{1,64}", "a secret name");
        TomlTable model = table(root, "model", true);
        String provider = model == null ? null : string(model, "model", "provider", null);
        String modelName = model == null ? null : string(model, "model", "model", null);
        ResourceLimits limits = limits(table(root, "limits", false));
        SkillManifest.Budgets budgets = budgets(table(root, "budgets", false));
        SkillManifest.Review review = review(table(root, "review", false));
        if (!problems.isEmpty()) {
            return new Rejected(problems);
        }
        try {
            return new Loaded(new SkillManifest(skill, description, version, tier,
                    new SkillManifest.ModelChoice(provider, modelName), prompt, tools, hosts, secrets, limits, budgets,
                    review, "dir:" + file));
        } catch (IllegalArgumentException e) {
            return reject(1, 1, "", e.getMessage());
        }
    }

    private Rejected reject(int line, int column, String path, String message) {
        problems.add(new ConfigProblem(file.toString(), line, column, path, message));
        return new Rejected(problems);
    }

    private void problem(Position at, String path, String message) {
        problems.add(new ConfigProblem(file.toString(), at.line(), at.column(), path, message));
    }

    private static String path(String table, String key) {
        return table.isEmpty() ? key : table + "." + key;
    }

    private void unknownKeys(TomlTable table, String name) {
        Set<String> known = KEYS.get(name);
        for (Map.Entry<String, TomlValue> e : table.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                problem(e.getValue().position(), path(name, e.getKey()), "unknown key; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private TomlTable table(TomlTable root, String key, boolean required) {
        Optional<TomlValue> v = root.get(key);
        if (v.isEmpty()) {
            if (required) {
                problem(root.position(), key, "missing table [" + key + "]");
            }
            return null;
        }
        if (!(v.get() instanceof TomlTable t)) {
            problem(v.get().position(), key, "expected a table, found " + v.get().typeName());
            return null;
        }
        unknownKeys(t, key);
        return t;
    }

    private String string(TomlTable t, String table, String key, String fallback) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            if (fallback == null) {
                problem(t.position(), path(table, key), "missing; expected a string");
            }
            return fallback;
        }
        if (!(v.get() instanceof TomlString s)) {
            problem(v.get().position(), path(table, key), "expected a string, found " + v.get().typeName());
            return fallback;
        }
        if (s.value().isBlank()) {
            problem(s.position(), path(table, key), "is empty");
            return fallback;
        }
        return s.value();
    }

    private <T> T parse(TomlTable t, String table, String key, T fallback, Function<String, T> parser) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!(v.get() instanceof TomlString s)) {
            problem(v.get().position(), path(table, key), "expected a string, found " + v.get().typeName());
            return fallback;
        }
        try {
            return parser.apply(s.value());
        } catch (IllegalArgumentException e) {
            problem(s.position(), path(table, key), e.getMessage());
            return fallback;
        }
    }

    private long integer(TomlTable t, String table, String key, long fallback, long min, long max) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!(v.get() instanceof TomlInteger i)) {
            problem(v.get().position(), path(table, key), "expected an integer, found " + v.get().typeName());
            return fallback;
        }
        if (i.value() < min || i.value() > max) {
            problem(i.position(), path(table, key), i.value() + " is out of range; expected " + min + ".." + max);
            return fallback;
        }
        return i.value();
    }

    private double number(TomlTable t, String table, String key, double fallback, double min, double max) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        double d;
        if (v.get() instanceof TomlFloat f) {
            d = f.value();
        } else if (v.get() instanceof TomlInteger i) {
            d = i.value();
        } else {
            problem(v.get().position(), path(table, key), "expected a number, found " + v.get().typeName());
            return fallback;
        }
        if (!(d >= min && d <= max)) {
            problem(v.get().position(), path(table, key), d + " is out of range; expected " + min + ".." + max);
            return fallback;
        }
        return d;
    }

    private List<String> strings(TomlTable t, String table, String key, String pattern, String what) {
        Optional<TomlValue> v = t.get(key);
        if (v.isEmpty()) {
            return List.of();
        }
        if (!(v.get() instanceof TomlArray a)) {
            problem(v.get().position(), path(table, key), "expected an array of strings, found " + v.get().typeName());
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (TomlValue e : a.values()) {
            if (!(e instanceof TomlString s)) {
                problem(e.position(), path(table, key), "expected " + what + " (a string), found " + e.typeName());
            } else if (!s.value().matches(pattern)) {
                problem(e.position(), path(table, key), "'" + s.value() + "' is not " + what);
            } else if (out.contains(s.value())) {
                problem(e.position(), path(table, key), "'" + s.value() + "' is listed twice");
            } else {
                out.add(s.value());
            }
        }
        return out;
    }

    private String prompt(TomlTable root) {
        Optional<TomlValue> v = root.get("prompt");
        String name = string(root, "", "prompt", null);
        if (name == null) {
            return "";
        }
        Position at = v.get().position();
        Path dir = file.getParent();
        Path prompt = dir.resolve(name).normalize();
        try {
            if (!prompt.startsWith(dir) || !Files.isRegularFile(prompt, LinkOption.NOFOLLOW_LINKS)
                    || !prompt.toRealPath().startsWith(dir.toRealPath())) {
                problem(at, "prompt", "'" + name + "' is not a regular file inside " + dir);
                return "";
            }
            if (Files.size(prompt) > MAX_PROMPT_BYTES) {
                problem(at, "prompt", "'" + name + "' is larger than " + MAX_PROMPT_BYTES + " bytes");
                return "";
            }
            String text = Files.readString(prompt, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                problem(at, "prompt", "'" + name + "' is empty");
            }
            return text;
        } catch (IOException e) {
            problem(at, "prompt", "cannot read '" + name + "': " + e.getMessage());
            return "";
        }
    }

    private ResourceLimits limits(TomlTable t) {
        ResourceLimits d = ResourceLimits.DEFAULT;
        if (t == null) {
            return d;
        }
        long memory = parse(t, "limits", "memory", d.memoryBytes(), ResourceLimits::parseSize);
        double cpus = number(t, "limits", "cpus", d.cpus(), 0.01, 1024);
        int processes = (int) integer(t, "limits", "processes", d.maxProcesses(), 1, 1_000_000);
        Duration timeout = parse(t, "limits", "timeout", d.timeout(), ResourceLimits::parseDuration);
        long disk = parse(t, "limits", "disk", d.diskBytes(), ResourceLimits::parseSize);
        try {
            return new ResourceLimits(memory, cpus, processes, timeout, disk);
        } catch (IllegalArgumentException e) {
            problem(t.position(), "limits", e.getMessage());
            return d;
        }
    }

    private SkillManifest.Budgets budgets(TomlTable t) {
        SkillManifest.Budgets d = SkillManifest.Budgets.DEFAULT;
        if (t == null) {
            return d;
        }
        int iterations = (int) integer(t, "budgets", "iterations", d.iterations(), 1, 1000);
        long tokens = integer(t, "budgets", "tokens", d.tokens(), 1, Long.MAX_VALUE);
        Duration wall = parse(t, "budgets", "wall_clock", d.wallClock(), ResourceLimits::parseDuration);
        double usd = number(t, "budgets", "cost_usd", d.costMicroUsd() / 1e6, 0, 1e6);
        int perTurn = (int) integer(t, "budgets", "max_tokens_per_turn", d.maxTokensPerTurn(), 1, 1_000_000);
        try {
            return new SkillManifest.Budgets(iterations, tokens, wall, Math.round(usd * 1e6), perTurn);
        } catch (IllegalArgumentException e) {
            problem(t.position(), "budgets", e.getMessage());
            return d;
        }
    }

    private SkillManifest.Review review(TomlTable t) {
        if (t == null) {
            return SkillManifest.Review.NONE;
        }
        String mode = parse(t, "review", "mode", "none", m -> {
            if (!m.equals("none") && !m.equals("human")) {
                throw new IllegalArgumentException("review mode '" + m + "': expected none or human");
            }
            return m;
        });
        return new SkillManifest.Review(mode, strings(t, "review", "gates", "[a-z0-9][a-z0-9_-]{0,63}", "a gate name"));
    }
}
