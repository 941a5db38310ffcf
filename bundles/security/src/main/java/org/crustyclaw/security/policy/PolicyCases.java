package org.crustyclaw.security.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.Policy;
import org.crustyclaw.api.policy.PolicyCaseResult;
import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.config.toml.Position;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlTable;

/**
 * Table-driven expectations kept next to a policy:
 * <pre>
 * [[case]]
 * name = "operators may run tools"
 * role = "operator"          # or roles = ["a", "b"]
 * action = "tool.call"
 * resource = "tool.echo"
 * channel = "signal"         # optional
 * tier = "untrusted"         # optional
 * tainted = true             # optional: untrusted content is in the agent's context
 * expect = "allow"
 * rule = "operators-tools"   # optional: the rule that must decide
 * </pre>
 */
public final class PolicyCases {

    private static final Set<String> KEYS = Set.of("name", "role", "roles", "principal", "action", "resource", "channel",
            "tier", "tainted", "expect", "rule");

    private record Case(String name, Subject subject, String action, String resource, Effect expect, Optional<String> rule) {}

    private PolicyCases() {}

    public static List<PolicyCaseResult> run(String file, String toml, Policy policy) throws PolicyException {
        List<Case> cases = parse(file, toml);
        List<PolicyCaseResult> out = new ArrayList<>(cases.size());
        for (Case c : cases) {
            var verdict = policy.evaluate(c.subject, c.action, c.resource);
            boolean passed = verdict.effect() == c.expect && c.rule.map(verdict.rule()::equals).orElse(true);
            out.add(new PolicyCaseResult(c.name, passed, c.expect, c.rule, verdict));
        }
        return out;
    }

    private static List<Case> parse(String file, String toml) throws PolicyException {
        TomlTable root;
        try {
            root = Toml.parse(toml, file);
        } catch (TomlException e) {
            Position p = e.position();
            throw new PolicyException(List.of(new ConfigProblem(p.file(), p.line(), p.column(), "", e.reason())));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        TomlReader top = new TomlReader(problems, root, "");
        top.onlyKeys(Set.of("case"));
        List<TomlTable> tables = top.tables("case");
        if (tables.isEmpty() && problems.isEmpty()) {
            problems.add(new ConfigProblem(file, 0, 0, "case", "no [[case]] tables: expected at least one expectation"));
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            TomlReader t = new TomlReader(problems, tables.get(i), "case[" + i + "]");
            int before = t.problemCount();
            t.onlyKeys(KEYS);
            Position at = t.position();
            String name = t.string("name", false).orElse(at.file() + ":" + at.line());
            Set<String> roles = new HashSet<>(t.strings("role"));
            roles.addAll(t.strings("roles"));
            if (roles.isEmpty()) {
                t.problem(at, "role", "missing: expected role = \"NAME\" or roles = [\"A\", \"B\"]");
            }
            String action = t.string("action", true).orElse("");
            String resource = t.string("resource", false).orElse("*");
            Optional<String> channel = t.string("channel", false);
            Optional<TrustTier> tier = Optional.empty();
            Optional<String> tierText = t.string("tier", false);
            if (tierText.isPresent()) {
                try {
                    tier = Optional.of(TrustTier.parse(tierText.get()));
                } catch (IllegalArgumentException e) {
                    t.problem(t.positionOf("tier"), "tier", e.getMessage());
                }
            }
            Effect expect = null;
            Optional<String> expectText = t.string("expect", true);
            if (expectText.isPresent()) {
                try {
                    expect = Effect.parse(expectText.get());
                } catch (IllegalArgumentException e) {
                    t.problem(t.positionOf("expect"), "expect", e.getMessage());
                }
            }
            Optional<String> rule = t.string("rule", false);
            boolean tainted = t.bool("tainted").orElse(false);
            String principal = t.string("principal", false).orElse("policy-test");
            if (t.problemCount() == before && expect != null && !principal.isBlank()) {
                cases.add(new Case(name, new Subject(principal, roles, channel, tier, tainted), action, resource, expect, rule));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return cases;
    }
}
