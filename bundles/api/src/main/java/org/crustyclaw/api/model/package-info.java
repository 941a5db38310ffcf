/**
 * Language model providers. Plugins implement {@link org.crustyclaw.api.model.ModelProvider}; replies stream as {@link org.crustyclaw.api.model.ChatEvent}s.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
