/**
 * Declarative validation of records (configuration, messages): annotate record components
 * with {@link org.crustyclaw.security.validation.NotEmpty}, {@link org.crustyclaw.security.validation.Range},
 * {@link org.crustyclaw.security.validation.Length} or {@link org.crustyclaw.security.validation.Matches}
 * and call {@link org.crustyclaw.security.validation.Validator#validate(Object)}: every
 * violation comes back with its field path and the offending value, redacted when the
 * component is {@link org.crustyclaw.api.secret.Sensitive}.
 *
 * <p>Nothing in this package accepts or returns {@code null}.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.security.validation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
