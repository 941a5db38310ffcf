package org.crustyclaw.api.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The append-only, hash-chained audit log. Implemented by the security bundle.
 *
 * <p>Event types recorded by the runtime: {@code policy.decision}, {@code config.reload},
 * {@code plugin.install}, {@code plugin.refused}, {@code plugin.uninstall},
 * {@code secret.access}, {@code secret.set}, {@code secret.remove}, {@code sandbox.exec},
 * {@code approval.request}, {@code approval.answer}, {@code approval.withdrawn}, and
 * {@code audit.segment}, which begins the chain anew after a break found at start.
 */
@ProviderType
public interface AuditLog {

    /**
     * Appends an event and returns once it is durable, so the action it records may proceed.
     * Payload values are scrubbed of secrets and token shapes before they are stored.
     *
     * @throws AuditException when it could not be made durable: the action must not proceed
     */
    AuditEvent append(String type, String actor, Map<String, String> payload) throws AuditException;

    /** The last {@code n} events, oldest first. */
    List<AuditEvent> tail(int n);

    /** Events with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    List<AuditEvent> after(long afterSeq, int limit);

    /** Events recorded at or after {@code since}, oldest first. */
    List<AuditEvent> since(Instant since);

    /**
     * Walks the whole chain, recomputes every (keyed) hash and holds the head against the
     * checkpoint kept outside the database; a break recorded by a segment stays reported.
     */
    VerifyResult verify();
}
