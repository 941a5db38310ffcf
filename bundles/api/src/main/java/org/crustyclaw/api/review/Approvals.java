package org.crustyclaw.api.review;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.crustyclaw.api.policy.Principal.Authenticated;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one approval service every part uses (policy {@code ask} decisions, review gates,
 * channels, the TUI). Every request and answer is audited. A request is pending only while
 * its requester waits for the answer: a requester that gives up {@linkplain #withdraw
 * withdraws} it, and a restart of the service withdraws those its previous run left (whoever
 * waited for them is gone), so an answer always releases something. Implemented by the
 * security bundle.
 */
@ProviderType
public interface Approvals {

    /** The timeout to use when nothing more specific is configured. */
    Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    /**
     * Files a request; the stage completes when it is answered, or with a rejection by
     * {@code timeout} when {@code timeout} passes. Filing a request whose id is already
     * pending re-attaches to it instead; one already closed gets its decision at once.
     */
    CompletionStage<Decision> request(ApprovalRequest request, Duration timeout);

    /**
     * Files a request with the configured default timeout ({@code [approvals]
     * default_timeout_minutes}, {@link #DEFAULT_TIMEOUT} when unset).
     */
    CompletionStage<Decision> request(ApprovalRequest request);

    /** The requests an answer can still release (their requester waits), oldest first. */
    List<ApprovalRequest> pending();

    /**
     * The requester no longer waits (its client went away, it was cancelled): the request,
     * if still pending, is closed as withdrawn, audited, and an answer can no longer be given.
     * Its {@link #decision} is then a rejection by {@code withdrawn} with {@code reason}.
     *
     * @since 1.1
     */
    void withdraw(String id, String reason);

    Optional<ApprovalRequest> find(String id);

    /** The answer to a request, if it has one. */
    Optional<Decision> decision(String id);

    /**
     * Answers a pending request. The policy must allow {@code by} the action
     * {@code review.approve} on the resource {@code approval.<rule that asked>}.
     *
     * @throws IllegalArgumentException if the id is unknown or already answered
     * @throws SecurityException if {@code by} may not answer it
     */
    Decision answer(String id, boolean approve, Authenticated by, String reason);
}
