/**
 * Tools an agent may call. Plugins implement {@link org.crustyclaw.api.tool.ToolAdapter} and register it with a {@link org.crustyclaw.api.tool.ToolName} service property.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("2.1.0")
package org.crustyclaw.api.tool;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
