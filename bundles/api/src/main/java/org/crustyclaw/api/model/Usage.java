package org.crustyclaw.api.model;

/**
 * Tokens and cost of one model call.
 *
 * @param inputTokens   prompt tokens the provider counted, 0 when it did not say
 * @param outputTokens  reply tokens the provider counted, 0 when it did not say
 * @param costMicroUsd  cost in millionths of a US dollar from the configured prices, 0 when unknown
 */
public record Usage(int inputTokens, int outputTokens, long costMicroUsd) {

    /** Nothing counted. */
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || costMicroUsd < 0) {
            throw new IllegalArgumentException("usage is negative: input " + inputTokens + ", output "
                    + outputTokens + ", cost " + costMicroUsd + " micro-USD");
        }
    }
}
