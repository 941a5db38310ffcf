package org.crustyclaw.api.egress;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The credential proxy. Implemented by the credproxy bundle.
 *
 * <p>Every request through a session is audited ({@code egress.request}: sandbox, skill,
 * host, method, path with the query redacted, secret names, bytes each way, decision,
 * rule); a sentinel aimed at a host its secret is not bound to is blocked and recorded as
 * {@code egress.sentinel_misdirected} with severity {@code high}.
 */
@ProviderType
public interface Egress {

    /**
     * Opens a session for one sandbox: mints a sentinel per granted secret and starts its
     * proxy listeners.
     *
     * @param sandbox names the sandbox in audit events, {@code [A-Za-z0-9._-]{1,64}}
     * @throws IllegalArgumentException when a granted secret is unknown to the secret store
     *                                  or too short for an unguessable sentinel
     * @throws java.io.UncheckedIOException when the listeners cannot be opened
     */
    EgressSession open(String sandbox, EgressPolicy policy);

    /** What {@code method url} would get under {@code policy}; sends nothing. */
    EgressDecision decide(EgressPolicy policy, String method, URI url);

    /** The configured policies ({@code [egress.skills.NAME]}), sorted by skill. */
    List<EgressPolicy> policies();

    /** The configured policy of a skill or run name; empty when it has none (and so reaches nothing). */
    Optional<EgressPolicy> policy(String skill);
}
