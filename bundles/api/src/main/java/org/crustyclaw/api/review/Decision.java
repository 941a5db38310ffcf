package org.crustyclaw.api.review;

import java.time.Instant;

/**
 * A human's (or the timeout's) answer to an {@link ApprovalRequest}.
 *
 * @param requestId the request answered
 * @param approved  approve or reject
 * @param by        the principal that answered, {@code timeout} for automatic rejection
 * @param reason    why, possibly empty
 * @param at        when
 */
public record Decision(String requestId, boolean approved, String by, String reason, Instant at) {}
