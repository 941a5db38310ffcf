package org.crustyclaw.api.policy;

/**
 * A policy decision and what decided it.
 *
 * @param effect the decision
 * @param rule   the id of the deciding rule, {@link #DEFAULT_DENY} when none matched
 * @param reason a sentence a user can read
 */
public record Verdict(Effect effect, String rule, String reason) {

    /** The rule id of the decision when no rule matched. */
    public static final String DEFAULT_DENY = "default-deny";

    /** The rule id of the decision when the decision could not be audited. */
    public static final String AUDIT_UNAVAILABLE = "audit-unavailable";
}
