package org.crustyclaw.provider.common;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One provider's configuration, from its {@code [provider.NAME]} section, checked once.
 *
 * @param name             the provider's name, e.g. {@code ollama}
 * @param baseUrl          where its API lives; empty when not configured (the provider then says so)
 * @param models           the models it offers, the first the default; may be empty
 * @param apiKeySecret     the secret store name of the API key; empty: no key is sent
 * @param connectTimeout   longest wait for a connection and for the response headers
 * @param readTimeout      longest silence inside a streaming body
 * @param totalTimeout     longest a whole call may take, retries and waits included
 * @param maxRetries       how often a 429, 5xx or overloaded answer is retried
 * @param requestsPerMinute the rate limit of this provider, 0 for none
 * @param prices           what a million tokens cost, for {@link org.crustyclaw.api.model.Usage}
 */
public record ProviderSettings(String name, Optional<URI> baseUrl, List<String> models, String apiKeySecret,
        Duration connectTimeout, Duration readTimeout, Duration totalTimeout, int maxRetries,
        int requestsPerMinute, Prices prices) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /**
     * Prices in US dollars per million tokens; 0 when unknown (local models).
     *
     * @param inputUsdPerMTok  prompt tokens
     * @param outputUsdPerMTok reply tokens
     */
    public record Prices(double inputUsdPerMTok, double outputUsdPerMTok) {
        public static final Prices NONE = new Prices(0, 0);

        public Prices {
            if (!(inputUsdPerMTok >= 0) || !(outputUsdPerMTok >= 0) || Double.isInfinite(inputUsdPerMTok)
                    || Double.isInfinite(outputUsdPerMTok)) {
                throw new IllegalArgumentException("prices must be finite and at least 0 USD per million tokens, got input "
                        + inputUsdPerMTok + ", output " + outputUsdPerMTok);
            }
        }

        /** Cost in micro-USD: tokens x USD per million tokens. */
        public long costMicroUsd(int inputTokens, int outputTokens) {
            return Math.round(inputTokens * inputUsdPerMTok + outputTokens * outputUsdPerMTok);
        }
    }

    public ProviderSettings {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name '" + name + "' is not 1-64 lower case letters, digits, '-' or '_'");
        }
        models = List.copyOf(models);
        for (String m : models) {
            if (m.isBlank()) {
                throw new IllegalArgumentException("[provider." + name + "] models has a blank entry: " + models);
            }
        }
        baseUrl.ifPresent(u -> {
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("[provider." + name + "] base_url '" + u
                        + "' is not an http:// or https:// URL with a host");
            }
            if (u.getUserInfo() != null) {
                throw new IllegalArgumentException("[provider." + name + "] base_url carries credentials; put the key in"
                        + " the secret store and name it in api_key_secret");
            }
        });
        requirePositive(name, "connect_timeout", connectTimeout);
        requirePositive(name, "read_timeout", readTimeout);
        requirePositive(name, "total_timeout", totalTimeout);
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("[provider." + name + "] max_retries " + maxRetries + " is not 0..10");
        }
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("[provider." + name + "] requests_per_minute " + requestsPerMinute
                    + " is negative (0 means no limit)");
        }
        if (apiKeySecret == null) {
            throw new IllegalArgumentException("[provider." + name + "] api_key_secret is null (use \"\")");
        }
    }

    /**
     * Parses a configured base URL; blank means not configured.
     *
     * @throws IllegalArgumentException naming the provider and the value when it is no URL
     */
    public static Optional<URI> url(String provider, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            String t = text.strip();
            return Optional.of(URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[provider." + provider + "] base_url '" + text + "' is not a URL: "
                    + e.getMessage(), e);
        }
    }

    /** {@code baseUrl + path}; the caller has checked that a base URL is configured. */
    public URI resolve(String path) {
        return URI.create(baseUrl.orElseThrow() + path);
    }

    private static void requirePositive(String name, String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("[provider." + name + "] " + key + " must be positive, got " + d);
        }
    }
}
