package org.crustyclaw.commands.security;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** Usage of the policy, audit, review, secrets and egress commands: one {@link CommandArea} each. */
final class SecurityAreas {

    private SecurityAreas() {}

    private static final OptionUsage CONFIG = OptionUsage.text("--config", "FILE",
            "a crustyclaw.toml whose [policy] to use instead of the policy in force");

    static final AreaUsage POLICY = new AreaUsage("policy", "the access policy: list its rules, decide an action, run test cases",
            List.of(VerbUsage.of("list", "lists the rules of the policy in force, or of a file", List.of(OptionUsage.JSON, CONFIG),
                            List.of(), "crustyclaw policy list --config ./crustyclaw.toml"),
                    VerbUsage.of("check", "decides an action for a role, printing the decision and the rule that made it",
                            List.of(OptionUsage.text("--role", "ROLE", "the role, or several separated by commas").asRequired(),
                                    OptionUsage.text("--action", "ACTION", "the action, e.g. tool.call").asRequired(),
                                    OptionUsage.text("--resource", "RESOURCE", "the resource, e.g. tool.echo").withDefault("*"),
                                    OptionUsage.text("--channel", "CHANNEL", "the channel the request comes through"),
                                    OptionUsage.text("--tier", "TIER", "the trust tier of the acting code: trusted, internal,"
                                            + " untrusted, llm-generated"),
                                    OptionUsage.JSON, CONFIG),
                            List.of(), "crustyclaw policy check --role operator --action sandbox.run --resource bwrap"),
                    VerbUsage.of("test", "runs the [[case]] expectations of FILE against the policy; exit 1 when any case fails",
                            List.of(OptionUsage.JSON, CONFIG), List.of(ArgumentUsage.required("FILE", "the file of [[case]] tables")),
                            "crustyclaw policy test policy-cases.toml")));

    static final AreaUsage AUDIT = new AreaUsage("audit", "the audit log: every decision and run, in a hash chain", List.of(
            VerbUsage.of("tail", "shows the last events; with -f keeps printing new ones until interrupted",
                    List.of(OptionUsage.integer(List.of("-n", "--lines"), "N", "how many events").withDefault("20"),
                            OptionUsage.flag("-f", "--follow", "follow: print new events as they are recorded"), OptionUsage.JSON),
                    List.of(), "crustyclaw audit tail -n 50 -f"),
            VerbUsage.of("verify", "recomputes the hash chain; fails naming the first changed, deleted or reordered event",
                    List.of(OptionUsage.JSON), List.of(), "crustyclaw audit verify"),
            VerbUsage.of("export", "prints every event since a time as JSON, with hashes, for safekeeping outside the daemon",
                    List.of(OptionUsage.text("--since", "TIME", "an ISO-8601 instant or date, e.g. 2026-11-25T10:00:00Z or"
                            + " 2026-11-25").withDefault("1970-01-01")),
                    List.of(), "crustyclaw audit export --since 2026-11-25 > audit.json")));

    static final AreaUsage REVIEW = new AreaUsage("review", "approval requests: what waits for a human answer", List.of(
            VerbUsage.of("list", "lists the pending approval requests, oldest first", List.of(OptionUsage.JSON), List.of(),
                    "crustyclaw review list"),
            VerbUsage.of("show", "shows one approval request with its diff or command", List.of(OptionUsage.JSON),
                    List.of(ArgumentUsage.required("ID", "the request id, from 'review list'")), "crustyclaw review show 3f2a9c"),
            VerbUsage.of("approve", "approves a pending request; the waiting action goes ahead",
                    List.of(OptionUsage.text("--reason", "TEXT", "why"), OptionUsage.JSON),
                    List.of(ArgumentUsage.required("ID", "the request id, from 'review list'")),
                    "crustyclaw review approve 3f2a9c --reason 'checked the diff'"),
            VerbUsage.of("reject", "rejects a pending request; the waiting action fails with the reason",
                    List.of(OptionUsage.text("--reason", "TEXT", "why"), OptionUsage.JSON),
                    List.of(ArgumentUsage.required("ID", "the request id, from 'review list'")),
                    "crustyclaw review reject 3f2a9c --reason 'touches the deploy keys'")));

    static final AreaUsage SECRETS = new AreaUsage("secrets", "named secrets for sandboxes and tools; values never printed", List.of(
            VerbUsage.of("set", "stores a secret read from standard input (one line, or everything up to end of input)",
                    List.of(OptionUsage.JSON), List.of(ArgumentUsage.required("NAME", "the secret's name, referenced as secret:NAME")),
                    "printf %s \"$TOKEN\" | crustyclaw secrets set forgejo-token"),
            VerbUsage.of("list", "lists the secret names and where each comes from (store, env, file); never the values",
                    List.of(OptionUsage.JSON), List.of(), "crustyclaw secrets list"),
            VerbUsage.of("rm", "removes a secret from the encrypted store", List.of(OptionUsage.JSON),
                    List.of(ArgumentUsage.required("NAME", "the secret's name")), "crustyclaw secrets rm forgejo-token")));

    static final AreaUsage EGRESS = new AreaUsage("egress", "default-deny egress of sandboxes: the rules per skill and what a"
            + " request would get", List.of(
            VerbUsage.of("list", "lists the egress rules and secret grants in force, of every skill or of one",
                    List.of(OptionUsage.JSON), List.of(ArgumentUsage.optional("SKILL", "the skill, all when absent")),
                    "crustyclaw egress list forge"),
            VerbUsage.of("test", "decides what a request of SKILL to URL would get (allow, ask or deny, the rule, the"
                            + " secrets swapped in); sends nothing",
                    List.of(OptionUsage.text("--method", "METHOD", "the HTTP method").withDefault("GET"), OptionUsage.JSON),
                    List.of(ArgumentUsage.required("SKILL", "the skill or run name"),
                            ArgumentUsage.required("URL", "http://host[:port]/path or https://host[:port]/path")),
                    "crustyclaw egress test forge https://api.github.com/repos")));

    @Component(service = CommandArea.class)
    public static final class Egress implements CommandArea {
        @Override
        public AreaUsage usage() {
            return EGRESS;
        }
    }

    @Component(service = CommandArea.class)
    public static final class Policy implements CommandArea {
        @Override
        public AreaUsage usage() {
            return POLICY;
        }
    }

    @Component(service = CommandArea.class)
    public static final class Audit implements CommandArea {
        @Override
        public AreaUsage usage() {
            return AUDIT;
        }
    }

    @Component(service = CommandArea.class)
    public static final class Review implements CommandArea {
        @Override
        public AreaUsage usage() {
            return REVIEW;
        }
    }

    @Component(service = CommandArea.class)
    public static final class Secrets implements CommandArea {
        @Override
        public AreaUsage usage() {
            return SECRETS;
        }
    }
}
