package org.crustyclaw.api.review;

import java.util.List;

/**
 * A gate's verdict. Failing is an outcome, not an exception.
 *
 * @param gate     the gate's name
 * @param passed   whether the artifacts pass
 * @param summary  one line for lists
 * @param findings details, one per problem found
 */
public record GateResult(String gate, boolean passed, String summary, List<String> findings) {

    public GateResult {
        findings = List.copyOf(findings);
    }
}
