package org.crustyclaw.security.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.Sensitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RedactionTest {

    record Provider(String name, @Sensitive String apiKey, Optional<Endpoint> endpoint) {}

    record Endpoint(String url, Secret token) {}

    private final RedactionService redaction = new RedactionService();

    @Test
    void sensitiveComponentsAndSecretsAreRedactedRecursively() {
        var p = new Provider("openai", "plain-text-key", Optional.of(new Endpoint("https://api",
                Secret.ofUtf8("tok", "tokval".toCharArray()))));
        assertThat(redaction.render(List.of(p))).isEqualTo(
                "[Provider[name=openai, apiKey=<redacted>, endpoint=Endpoint[url=https://api, token=Secret[tok=<redacted>]]]]");
    }

    @Test
    void commonTokenShapesAreScrubbedFromLogLines() {
        String line = "auth Authorization: Bearer eyJabc.def123456789 key=sk-proj-abcdefghijklmnopqrstuv "
                + "gh ghp_abcdefghijklmnopqrstuvwxyz0123 aws AKIAABCDEFGHIJKLMNOP url https://bob:pa55word@host/x "
                + "password=letmein";
        String out = redaction.scrub(line);
        assertThat(out).doesNotContain("eyJabc.def123456789", "sk-proj-abcdefghijkl", "ghp_abcdefghij", "AKIAABCDEFGHIJKLMNOP",
                "pa55word", "letmein");
        assertThat(out).contains("Bearer <redacted>", "https://bob:<redacted>@host/x", "password=<redacted>");
    }

    @Test
    void privateKeyBlocksAreScrubbed() {
        String pem = "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow IBAAKCAQEA\nabc=\n-----END RSA PRIVATE KEY----- done";
        assertThat(redaction.scrub(pem)).isEqualTo("key: <redacted> done");
    }

    @Test
    void literalValuesOfLoadedSecretsAreScrubbedAndForgotten() {
        redaction.remember(Secret.ofUtf8("db", "correct-horse".toCharArray()));
        assertThat(redaction.scrub("pw correct-horse, again correct-horse")).isEqualTo("pw <redacted>, again <redacted>");
        redaction.forget("db");
        assertThat(redaction.scrub("pw correct-horse")).isEqualTo("pw correct-horse");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        assertThat(redaction.scrub("policy allow tool.echo for operator")).isEqualTo("policy allow tool.echo for operator");
        assertThat(redaction.render(Map.of("a", 1))).isEqualTo("{a=1}");
    }

    /** Catastrophic backtracking would not finish: the timeout only guards against that hang (speed: bench/security LargeInputBench). */
    @Test
    @Timeout(120)
    void scrubbingHugeInputRedactsAllOfIt() {
        String huge = "-----BEGIN PRIVATE KEY-----" + "A".repeat(200_000) + " Bearer " + "x".repeat(100_000);
        String out = redaction.scrub(huge);
        assertThat(out).doesNotContain("x".repeat(100)).doesNotContain("AAAA").startsWith("<redacted>");
    }
}
