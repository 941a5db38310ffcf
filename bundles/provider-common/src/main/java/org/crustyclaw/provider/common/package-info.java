/**
 * What the model provider bundles share: {@link org.crustyclaw.provider.common.StreamingProvider}
 * runs one chat call over {@code java.net.http} (connect, read and total timeouts, retries with
 * backoff and jitter honouring {@code Retry-After}, a per-provider rate limit, the API key from the
 * secret store, cancellation closing the stream) and hands the SSE events or NDJSON lines to a
 * provider's {@link org.crustyclaw.provider.common.WireProtocol}, which turns them into
 * {@link org.crustyclaw.api.model.ChatEvent}s. A provider bundle is its wire protocol and a thin
 * DS component.
 *
 * <p>Nothing in this package accepts or returns {@code null}; absent values are
 * {@link java.util.Optional} or empty collections.
 */
@Export
@Version("1.0.0")
package org.crustyclaw.provider.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
