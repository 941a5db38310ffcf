package org.crustyclaw.api.review;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one approval service every part uses. Requests are durable: a restart keeps
 * them pending. Implemented by the core.
 */
@ProviderType
public interface Approvals {

    /** Files a request; the stage completes when it is answered or times out. */
    CompletionStage<Decision> request(ApprovalRequest request, Duration timeout);

    List<ApprovalRequest> pending();

    Optional<ApprovalRequest> find(String id);

    /**
     * Answers a pending request.
     *
     * @throws IllegalArgumentException if the id is unknown or already answered
     * @throws SecurityException if {@code by} may not answer it
     */
    Decision answer(String id, boolean approve, String by, String reason);
}
