package org.crustyclaw.api.policy;

/**
 * A policy decision and what decided it.
 *
 * @param effect the decision
 * @param rule   the id of the deciding rule, or {@code default-deny} when none matched
 * @param reason a sentence a user can read
 */
public record Verdict(Effect effect, String rule, String reason) {

    public static final String DEFAULT_DENY = "default-deny";
}
