package org.crustyclaw.api.runtime;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service's own check that it can do its work (its tables are there, its files readable).
 * {@code crustyclaw status} runs every registered one and shows each result; a check must be
 * quick (a few milliseconds) and must not change state.
 */
@ConsumerType
public interface HealthCheck {

    /** One result per service the check covers, e.g. "audit log" and "approvals". */
    java.util.List<Health> check();
}
