/**
 * The running daemon as the commands, the CLI and the TUI see it: status, version and the plugin registry. Implemented by the core.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.1.0")
package org.crustyclaw.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
