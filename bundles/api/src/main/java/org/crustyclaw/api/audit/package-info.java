/**
 * The tamper-evident audit log. The security bundle implements {@link org.crustyclaw.api.audit.AuditLog}; every decision, reload, install and execution is appended before it takes effect.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.1.0")
package org.crustyclaw.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
