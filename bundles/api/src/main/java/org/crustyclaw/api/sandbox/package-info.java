/**
 * Sandboxes: isolated places where skills, tools and blueprint steps run. Plugins implement {@link org.crustyclaw.api.sandbox.SandboxBackend}; the core chooses among the registered backends by the {@link org.crustyclaw.api.sandbox.IsolationLevel} that a {@link org.crustyclaw.api.sandbox.TrustTier} requires.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("2.1.0")
package org.crustyclaw.api.sandbox;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
