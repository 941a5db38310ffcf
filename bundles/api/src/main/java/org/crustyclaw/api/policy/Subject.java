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
 */
public record Subject(String principal, Set<String> roles, Optional<String> channel, Optional<TrustTier> tier) {

    public Subject {
        roles = Set.copyOf(roles);
        if (principal.isBlank()) {
            throw new IllegalArgumentException("subject principal is blank");
        }
    }
}
