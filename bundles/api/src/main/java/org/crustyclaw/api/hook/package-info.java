/**
 * Event hooks: plugins implement {@link org.crustyclaw.api.hook.Hook} to observe, and where the event allows it veto, what the runtime does. The core delivers events through {@link org.crustyclaw.api.hook.Hooks}, highest priority first.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.api.hook;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
