/**
 * Egress: the only way out of a sandbox. The credential proxy implements {@link org.crustyclaw.api.egress.Egress};
 * a sandbox backend (or any in-daemon client such as an HTTP fetch tool) opens an {@link org.crustyclaw.api.egress.EgressSession}
 * with an {@link org.crustyclaw.api.egress.EgressPolicy} and points the sandboxed program at the session's proxy.
 * Egress is default-deny: a request goes out only when a rule allows its host, port and method, and a granted
 * secret leaves the daemon only toward the hosts it is bound to, swapped in for its sentinel by the proxy.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.1.0")
package org.crustyclaw.api.egress;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
