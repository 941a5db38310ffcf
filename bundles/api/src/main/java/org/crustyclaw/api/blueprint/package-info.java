/**
 * Blueprints: directed acyclic graphs of deterministic steps and agent loops that plan and carry out a task. Plugins implement {@link org.crustyclaw.api.blueprint.Blueprint}.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.api.blueprint;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
