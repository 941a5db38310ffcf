package org.crustyclaw.credproxy;

import org.crustyclaw.api.egress.EgressDecision;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressRule;

/** Default-deny matching of a request against a policy's rules: the first rule naming host, port and method decides. */
final class Rules {

    static final String DEFAULT_DENY = "default-deny";
    static final String IP_LITERAL = "ip-literal";

    private Rules() {}

    static EgressDecision decide(EgressPolicy policy, String method, Target target) {
        if (target.ipLiteral()) {
            return new EgressDecision.Deny(IP_LITERAL, "host " + target.host()
                    + " is an IP address: rules name hosts, ask for the name");
        }
        String host = target.host();
        boolean hostKnown = false;
        boolean portKnown = false;
        for (EgressRule rule : policy.rules()) {
            if (rule.matches(host, target.port(), method)) {
                return rule.action() == EgressRule.Action.ALLOW ? new EgressDecision.Allow(rule.name())
                        : new EgressDecision.Ask(rule.name());
            }
            if (rule.host().matches(host)) {
                hostKnown = true;
                portKnown |= rule.ports().contains(target.port());
            }
        }
        String reason;
        if (!hostKnown) {
            reason = "no rule of skill " + policy.skill() + " allows host " + host;
        } else if (!portKnown) {
            reason = "port " + target.port() + " is not allowed for host " + host;
        } else {
            reason = "method " + method + " is not allowed for " + host + ":" + target.port()
                    + (method.equals("CONNECT") ? " (an opaque tunnel needs CONNECT among the rule's methods)" : "");
        }
        return new EgressDecision.Deny(DEFAULT_DENY, reason);
    }
}
