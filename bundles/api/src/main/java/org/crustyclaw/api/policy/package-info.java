/**
 * The policy engine: every action is decided allow, deny or ask before it happens. The security bundle implements {@link org.crustyclaw.api.policy.PolicyEngine}.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.1.0")
package org.crustyclaw.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
