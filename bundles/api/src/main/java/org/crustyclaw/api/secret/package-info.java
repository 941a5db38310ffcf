/**
 * Secrets: values that never appear in logs, output, configuration dumps or sandboxes. {@link org.crustyclaw.api.secret.Secret} is redacted in {@code toString} and zeroed on close.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.api.secret;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
