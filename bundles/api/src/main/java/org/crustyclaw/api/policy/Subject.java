package org.crustyclaw.api.policy;

import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.sandbox.TrustTier;

/**
 * Who is acting.
 *
 * @param principal the authenticated identity (a Unix user, a Signal number, a skill)
 * @param roles     the roles the identity holds
 * @param channel   the channel the request came through, if any
 * @param tier      the trust tier of the code acting, if it is code
 * @param tainted   whether the action is taken while untrusted content (a tool result, a file
 *                  of the repository, a fetched page, someone else's message) is in the agent's
 *                  context; rules with {@code tainted = true} match only such actions
 */
public record Subject(String principal, Set<String> roles, Optional<String> channel, Optional<TrustTier> tier,
        boolean tainted) {

    public Subject {
        roles = Set.copyOf(roles);
        if (principal.isBlank()) {
            throw new IllegalArgumentException("subject principal is blank");
        }
    }

    /** An untainted subject. */
    public Subject(String principal, Set<String> roles, Optional<String> channel, Optional<TrustTier> tier) {
        this(principal, roles, channel, tier, false);
    }

    /** The same subject acting with ({@code true}) or without untrusted content in its context. */
    public Subject withTainted(boolean taint) {
        return new Subject(principal, roles, channel, tier, taint);
    }
}
