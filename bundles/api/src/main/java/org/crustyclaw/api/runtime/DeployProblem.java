package org.crustyclaw.api.runtime;

import java.time.Instant;

/**
 * A file in {@code deploy/} that could not be installed or started.
 *
 * @param file   the file name
 * @param reason what is wrong and what was expected
 * @param at     when it was tried
 */
public record DeployProblem(String file, String reason, Instant at) {}
