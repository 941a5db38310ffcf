/**
 * Review: automated gates over a run's artifacts and human approval of actions. Plugins implement {@link org.crustyclaw.api.review.ReviewGate}; the security bundle implements {@link org.crustyclaw.api.review.Approvals}.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.1.0")
package org.crustyclaw.api.review;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
