/**
 * A strict TOML 1.0 parser that keeps the position of every key, and a deterministic
 * writer. Used for {@code crustyclaw.toml} and by bundles that own a section of it.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.config.toml;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
