package org.crustyclaw.commands.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.egress.Egress;
import org.crustyclaw.api.egress.EgressDecision;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressRule;
import org.crustyclaw.api.egress.SecretGrant;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code egress:list|test}: the egress rules in force and what a request would get; sends nothing. */
@Component(service = EgressCommands.class, property = {
        "osgi.command.scope=egress",
        "osgi.command.function=list",
        "osgi.command.function=test"})
public final class EgressCommands {

    private final Egress egress;

    @Activate
    public EgressCommands(@Reference Egress egress) {
        this.egress = egress;
    }

    /** One rule or secret grant of a skill. */
    public record Row(String skill, String kind, String name, String host, String ports, String methods, String action) {}

    /** What a request would get. */
    public record Verdict(String skill, String method, String url, String decision, String rule, String reason,
            List<String> secrets) {}

    @Descriptor("lists the egress rules and secret grants in force, of every skill or of one")
    public String list(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the skill, all when absent") String... skill) {
        List<EgressPolicy> policies;
        if (skill.length > 1) {
            throw new IllegalArgumentException("egress list takes at most one SKILL, got " + skill.length);
        }
        if (skill.length == 1) {
            policies = List.of(egress.policy(skill[0]).orElseThrow(() -> new IllegalArgumentException(
                    "skill '" + skill[0] + "' has no [egress.skills." + skill[0] + "] policy (it reaches nothing); configured: "
                            + configured())));
        } else {
            policies = egress.policies();
        }
        List<Row> rows = new ArrayList<>();
        for (EgressPolicy p : policies) {
            for (EgressRule r : p.rules()) {
                rows.add(new Row(p.skill(), "rule", r.name(), r.host().pattern(), r.ports().stream().sorted()
                        .map(String::valueOf).collect(Collectors.joining(",")), String.join(",", new java.util.TreeSet<>(r.methods())),
                        r.action().name().toLowerCase(Locale.ROOT)));
            }
            for (SecretGrant g : p.secrets()) {
                rows.add(new Row(p.skill(), "secret", g.secret() + " as $" + g.env(), g.hosts().stream()
                        .map(h -> h.pattern()).collect(Collectors.joining(",")), "", "", "sentinel"));
            }
        }
        return Output.render(rows, json);
    }

    @Descriptor("decides what a request of SKILL to URL would get (allow, ask or deny, and the rule); sends nothing")
    public String test(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the HTTP method") @Parameter(names = "--method", absentValue = "GET") String method,
            @Descriptor("the skill") String skill,
            @Descriptor("the URL, http:// or https://") String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URL '" + url + "' is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("URL '" + url + "' is not http://host[:port]/path or https://host[:port]/path");
        }
        if (!method.matches("[A-Za-z]{1,20}")) {
            throw new IllegalArgumentException("--method '" + method + "' is not an HTTP method such as GET or POST");
        }
        Optional<EgressPolicy> policy = egress.policy(skill);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (policy.isEmpty()) {
            return Output.render(new Verdict(skill, method.toUpperCase(Locale.ROOT), url, "deny", "default-deny",
                    "skill " + skill + " has no [egress.skills." + skill + "] policy, so it reaches nothing", List.of()), json);
        }
        EgressDecision d = egress.decide(policy.get(), method, uri);
        String decision = d instanceof EgressDecision.Allow ? "allow" : d instanceof EgressDecision.Ask ? "ask" : "deny";
        String reason = d instanceof EgressDecision.Deny deny ? deny.reason() : "";
        List<String> secrets = d instanceof EgressDecision.Deny ? List.of() : policy.get().secrets().stream()
                .filter(g -> g.boundTo(host)).map(SecretGrant::secret).sorted().toList();
        return Output.render(new Verdict(skill, method.toUpperCase(Locale.ROOT), url, decision, d.rule(), reason, secrets), json);
    }

    private String configured() {
        List<String> names = egress.policies().stream().map(EgressPolicy::skill).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
