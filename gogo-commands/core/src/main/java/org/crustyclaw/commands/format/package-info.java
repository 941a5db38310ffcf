/**
 * The one place command output is formatted: a human form (aligned tables, key: value
 * lines) and a JSON form for {@code --json}. Every command bundle renders through
 * {@link org.crustyclaw.commands.format.Output}.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
@Export
@Version("1.1.0")
package org.crustyclaw.commands.format;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
