/**
 * Channels through which people talk to the runtime (Signal, CLI, TUI, Forgejo hooks). Plugins implement {@link org.crustyclaw.api.channel.Channel} and hand inbound messages to the core's {@link org.crustyclaw.api.channel.Router}.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("2.0.0")
package org.crustyclaw.api.channel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
