package org.crustyclaw.api.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded event of the hash chain.
 *
 * @param seq      position in the chain, from 1
 * @param at       when it was recorded
 * @param type     dotted type, e.g. {@code policy.decision}
 * @param actor    who caused it
 * @param payload  details, already redacted
 * @param prevHash hex SHA-256 of the previous event, 64 zeros for the first
 * @param hash     hex SHA-256 over this event's fields and {@code prevHash}
 */
public record AuditEvent(long seq, Instant at, String type, String actor, Map<String, String> payload,
        String prevHash, String hash) {

    public AuditEvent {
        payload = Map.copyOf(payload);
    }
}
