package org.crustyclaw.api.egress;

/** What the rules say about one request. Denying is an answer, not an error. */
public sealed interface EgressDecision {

    /** The rule that decided, or {@code default-deny}. */
    String rule();

    /** The request goes out under {@code rule}. */
    record Allow(String rule) implements EgressDecision {}

    /** The request waits for a human; {@code rule} asked. */
    record Ask(String rule) implements EgressDecision {}

    /**
     * The request is refused.
     *
     * @param rule   the rule that refused, {@code default-deny} when none matched
     * @param reason a sentence naming the host, port or method refused
     */
    record Deny(String rule, String reason) implements EgressDecision {}
}
