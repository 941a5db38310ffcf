package org.crustyclaw.commands.security;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.policy.Policy;
import org.crustyclaw.api.policy.PolicyCaseResult;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.PolicyRule;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code policy:list}, {@code policy:check}, {@code policy:test}: the policy in force, or a file with {@code --config}. */
@Component(service = PolicyCommands.class, property = {
        "osgi.command.scope=policy",
        "osgi.command.function=list",
        "osgi.command.function=check",
        "osgi.command.function=test"})
public final class PolicyCommands {

    private final PolicyEngine engine;

    @Activate
    public PolicyCommands(@Reference PolicyEngine engine) {
        this.engine = engine;
    }

    /** One line of {@code policy list}. */
    public record RuleRow(String id, String role, String action, String resource, String effect, int priority,
            String conditions, String source) {
        static RuleRow of(PolicyRule r) {
            StringBuilder c = new StringBuilder();
            if (!r.channels().isEmpty()) {
                c.append("channel=").append(String.join("|", r.channels().stream().sorted().toList())).append(' ');
            }
            if (!r.tiers().isEmpty()) {
                c.append("tier=").append(r.tiers().stream().map(TrustTier::label).sorted().collect(Collectors.joining("|"))).append(' ');
            }
            r.window().ifPresent(w -> c.append("time=").append(w.from()).append('-').append(w.to())
                    .append(w.days().isEmpty() ? "" : " days=" + w.days().stream().sorted().map(d -> d.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining("|"))));
            return new RuleRow(r.id(), r.role(), r.action(), r.resource(), r.effect().label(), r.priority(), c.toString().trim(), r.source());
        }
    }

    /** The answer of {@code policy check}; {@code decision} is allow, deny or ask. */
    public record CheckResult(String decision, String rule, String reason, String policy) {}

    /** One line of {@code policy test}. */
    public record CaseRow(String name, String result, String expected, String actual, String rule) {
        static CaseRow of(PolicyCaseResult r) {
            return new CaseRow(r.name(), r.passed() ? "PASS" : "FAIL",
                    r.expected().label() + r.expectedRule().map(x -> " by " + x).orElse(""), r.actual().effect().label(),
                    r.actual().rule());
        }
    }

    @Descriptor("lists the rules of the policy in force, or of a file")
    public String list(CommandSession session,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("a crustyclaw.toml to read instead of the policy in force") @Parameter(names = "--config", absentValue = "") String config)
            throws PolicyException {
        return Output.render(policy(session, config).rules().stream().map(RuleRow::of).toList(), json);
    }

    @Descriptor("decides an action for a role, printing the decision and the rule that made it")
    public String check(CommandSession session,
            @Descriptor("the role, or several separated by commas") @Parameter(names = "--role", absentValue = "") String role,
            @Descriptor("the action, e.g. tool.call") @Parameter(names = "--action", absentValue = "") String action,
            @Descriptor("the resource, e.g. tool.echo") @Parameter(names = "--resource", absentValue = "*") String resource,
            @Descriptor("the channel the request comes through") @Parameter(names = "--channel", absentValue = "") String channel,
            @Descriptor("the trust tier of the acting code") @Parameter(names = "--tier", absentValue = "") String tier,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("a crustyclaw.toml to check instead of the policy in force") @Parameter(names = "--config", absentValue = "") String config)
            throws PolicyException {
        if (role.isBlank()) {
            throw new IllegalArgumentException("--role is missing: expected the role to check, e.g. --role operator");
        }
        if (action.isBlank()) {
            throw new IllegalArgumentException("--action is missing: expected a dotted action, e.g. --action tool.call");
        }
        Set<String> roles = Arrays.stream(role.split(",")).map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
        Subject subject = new Subject("policy-check", roles, channel.isBlank() ? Optional.empty() : Optional.of(channel),
                tier.isBlank() ? Optional.empty() : Optional.of(TrustTier.parse(tier)));
        Policy policy = policy(session, config);
        Verdict v = policy.evaluate(subject, action, resource);
        return Output.render(new CheckResult(v.effect().label(), v.rule(), v.reason(), policy.source()), json);
    }

    @Descriptor("runs the [[case]] expectations of FILE against the policy; fails when any case fails")
    public String test(CommandSession session,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("a crustyclaw.toml to test instead of the policy in force") @Parameter(names = "--config", absentValue = "") String config,
            @Descriptor("the file of [[case]] tables") String file) throws PolicyException {
        List<CaseRow> rows = engine.test(Sessions.resolve(session, file), policy(session, config)).stream().map(CaseRow::of).toList();
        String out = Output.render(rows, json);
        long failed = rows.stream().filter(r -> r.result().equals("FAIL")).count();
        if (failed > 0) {
            PrintStream console = session == null ? System.out : session.getConsole();
            console.print(out);
            throw new IllegalStateException(failed + " of " + rows.size() + " policy cases failed");
        }
        return out;
    }

    private Policy policy(CommandSession session, String config) throws PolicyException {
        return config.isBlank() ? engine.current() : engine.load(Sessions.resolve(session, config));
    }
}
