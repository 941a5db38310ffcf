/**
 * Configuration as the user writes it ({@code crustyclaw.toml}) and as the daemon applies it: validation with exact positions, the effective configuration with secrets redacted, and reload.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.1.0")
package org.crustyclaw.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
