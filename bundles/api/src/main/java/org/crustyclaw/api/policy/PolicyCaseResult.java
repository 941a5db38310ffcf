package org.crustyclaw.api.policy;

import java.util.Optional;

/**
 * One expectation of a policy test file and what the policy answered.
 *
 * @param name     the case's {@code name}, or {@code file:line} when it has none
 * @param passed   whether the effect (and the rule, when expected) matched
 * @param expected the expected effect
 * @param expectedRule the expected deciding rule, if the case names one
 * @param actual   what the policy decided
 */
public record PolicyCaseResult(String name, boolean passed, Effect expected, Optional<String> expectedRule,
        Verdict actual) {}
