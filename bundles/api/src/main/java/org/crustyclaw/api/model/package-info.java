/**
 * Language model providers. Plugins implement {@link org.crustyclaw.api.model.ModelProvider} and
 * register it with a {@link org.crustyclaw.api.model.ProviderName}; replies stream as
 * {@link org.crustyclaw.api.model.ChatEvent}s. Tool calls travel as raw JSON text
 * ({@link org.crustyclaw.api.model.ToolUse}); content from outside the requester is marked
 * {@link org.crustyclaw.api.model.ChatMessage#untrusted() untrusted}.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("2.0.0")
package org.crustyclaw.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
