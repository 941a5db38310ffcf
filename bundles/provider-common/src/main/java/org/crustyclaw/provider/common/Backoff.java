package org.crustyclaw.provider.common;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/** How long to wait before a retry: what the server asked for, else exponential backoff with jitter. */
final class Backoff {

    static final Duration BASE = Duration.ofMillis(500);
    static final Duration CAP = Duration.ofSeconds(30);

    private Backoff() {}

    /** Attempt 0 waits about BASE, each further one twice as long, scaled by a jitter in [0.5, 1.5). */
    static Duration exponential(int attempt, DoubleSupplier random) {
        long base = BASE.toMillis() << Math.min(attempt, 16);
        long jittered = (long) (Math.min(base, CAP.toMillis()) * (0.5 + random.getAsDouble()));
        return Duration.ofMillis(Math.min(jittered, CAP.toMillis()));
    }

    /**
     * The server's wish: {@code retry-after-ms} (OpenAI), else {@code Retry-After} as seconds or an
     * HTTP date (RFC 9110). Unparseable values are ignored.
     */
    static Optional<Duration> retryAfter(HttpHeaders headers, ZonedDateTime now) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.get().strip()))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> value = headers.firstValue("retry-after");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
