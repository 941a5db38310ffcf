package org.crustyclaw.api.egress;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one skill (or run) may reach and with which secrets. An empty rule list reaches nothing.
 *
 * @param skill   the skill or run name the policy is keyed by
 * @param rules   the allowances, first match wins
 * @param secrets the secrets granted, each bound to its hosts
 * @param limits  the ceilings of a session
 */
public record EgressPolicy(String skill, List<EgressRule> rules, List<SecretGrant> secrets, EgressLimits limits) {

    public EgressPolicy {
        rules = List.copyOf(rules);
        secrets = List.copyOf(secrets);
        if (!skill.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("skill name '" + skill + "' is not letters, digits, '.', '_' or '-'");
        }
        Set<String> names = new HashSet<>();
        Set<String> envs = new HashSet<>();
        for (SecretGrant g : secrets) {
            if (!names.add(g.secret()) || !envs.add(g.env())) {
                throw new IllegalArgumentException("skill " + skill + ": secret " + g.secret() + " or variable "
                        + g.env() + " is granted twice");
            }
        }
        Set<String> ruleNames = new HashSet<>();
        for (EgressRule r : rules) {
            if (!ruleNames.add(r.name())) {
                throw new IllegalArgumentException("skill " + skill + ": rule name '" + r.name() + "' is used twice");
            }
        }
    }

    /** A policy that reaches nothing. */
    public static EgressPolicy denyAll(String skill) {
        return new EgressPolicy(skill, List.of(), List.of(), EgressLimits.DEFAULT);
    }
}
