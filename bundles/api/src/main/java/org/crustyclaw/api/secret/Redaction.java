package org.crustyclaw.api.secret;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one redacting renderer, used for logs, {@code config show}, audit payloads and error
 * messages. Implemented by the security bundle.
 */
@ProviderType
public interface Redaction {

    /**
     * Replaces in {@code text} the literal value of every loaded secret and every common
     * token shape (API keys, bearer tokens, private key blocks, passwords in URLs) with
     * {@value Secret#REDACTED}.
     */
    String scrub(String text);

    /**
     * Renders a value for humans: records as {@code Name[a=1, b=<redacted>]} with every
     * {@link Sensitive} component and every {@link Secret} redacted, recursively through
     * records, collections, maps and optionals; the result is also {@link #scrub scrubbed}.
     */
    String render(Object value);
}
