/**
 * The command catalog: every Gogo command area says what its verbs take, so that
 * {@code crustyclaw help AREA}, {@code crustyclaw AREA VERB --help} and every usage error
 * print the same usage, options and example, and so that the admin socket refuses wrong
 * arguments (naming the option, the value and the usage) before a command runs.
 *
 * <p>A bundle that adds Gogo commands registers one {@link org.crustyclaw.api.command.CommandArea}
 * service per area (the whiteboard pattern); the core's {@link org.crustyclaw.api.command.CommandCatalog}
 * collects them. See docs/plugin-authoring.md.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
