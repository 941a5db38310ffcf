package org.crustyclaw.api.audit;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** The append-only, hash-chained audit log. Implemented by the security bundle. */
@ProviderType
public interface AuditLog {

    /**
     * Appends an event and returns once it is durable, so the action it records may proceed.
     *
     * @throws AuditException when it could not be made durable: the action must not proceed
     */
    AuditEvent append(String type, String actor, Map<String, String> payload) throws AuditException;
}
