package org.crustyclaw.provider.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.provider.common.testing.Events;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static ProviderSettings settings(String url, int retries, int rpm) {
        return new ProviderSettings("openai", ProviderSettings.url("openai", url), List.of(), "", Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), retries, rpm, ProviderSettings.Prices.NONE);
    }

    @Test
    void badValuesNameTheKeyAndTheValue() {
        assertThatThrownBy(() -> settings("ftp://host/v1", 0, 0)).hasMessageContaining("base_url 'ftp://host/v1'");
        assertThatThrownBy(() -> settings("http://user:pw@host/v1", 0, 0)).hasMessageContaining("carries credentials")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> settings("http://h", 11, 0)).hasMessageContaining("max_retries 11");
        assertThatThrownBy(() -> settings("http://h", 0, -1)).hasMessageContaining("requests_per_minute -1");
        assertThatThrownBy(() -> new ProviderSettings.Prices(-1, 0)).hasMessageContaining("input -1.0");
        assertThat(settings("http://127.0.0.1:8080/v1/", 0, 0).resolve("/models"))
                .isEqualTo(URI.create("http://127.0.0.1:8080/v1/models"));
        assertThat(settings("", 0, 0).baseUrl()).isEmpty();
    }

    @Test
    void aMisconfiguredProviderSaysWhatIsWrongInItsStateAndEveryCall() {
        var p = Providers.open("openai", null, () -> settings("ftp://x", 0, 0), Optional::empty, Optional::empty);
        assertThat(p.state().reachable()).isFalse();
        assertThat(p.state().detail()).startsWith("misconfigured:").contains("ftp://x");
        Events events = new Events();
        p.chat(new ChatRequest("m", List.of(ChatMessage.user("x")), List.of(), 1), events);
        assertThat(events.last()).isInstanceOf(ChatEvent.Failed.class);
        assertThat(((ChatEvent.Failed) events.last()).reason()).contains("ftp://x");
    }

    @Test
    void retryAfterIsSecondsMillisecondsOrAnHttpDate() {
        ZonedDateTime now = ZonedDateTime.of(2026, 12, 4, 4, 0, 0, 0, ZoneOffset.UTC);
        assertThat(Backoff.retryAfter(headers(Map.of("Retry-After", "12")), now)).contains(Duration.ofSeconds(12));
        assertThat(Backoff.retryAfter(headers(Map.of("retry-after-ms", "1500", "Retry-After", "2")), now))
                .contains(Duration.ofMillis(1500));
        assertThat(Backoff.retryAfter(headers(Map.of("Retry-After", "Fri, 04 Dec 2026 04:00:30 GMT")), now))
                .contains(Duration.ofSeconds(30));
        assertThat(Backoff.retryAfter(headers(Map.of("Retry-After", "soon")), now)).isEmpty();
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        assertThat(Backoff.exponential(0, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(Backoff.exponential(1, () -> 0.5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(Backoff.exponential(1, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(Backoff.exponential(20, () -> 0.99)).isEqualTo(Backoff.CAP);
    }

    @Test
    void theRateLimitSpacesRequestsEvenly() {
        RateLimit limit = new RateLimit(60);
        long t = 1_000_000_000L;
        assertThat(limit.reserve(t)).isZero();
        assertThat(limit.reserve(t)).isEqualTo(Duration.ofSeconds(1));
        assertThat(limit.reserve(t)).isEqualTo(Duration.ofSeconds(2));
        assertThat(new RateLimit(0).reserve(t)).isZero();
    }

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        values.forEach((k, v) -> map.put(k, List.of(v)));
        return HttpHeaders.of(map, (a, b) -> true);
    }
}
