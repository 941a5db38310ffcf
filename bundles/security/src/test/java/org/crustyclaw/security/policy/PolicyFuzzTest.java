package org.crustyclaw.security.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.crustyclaw.api.policy.PolicyException;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.policy.Verdict;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the policy loader (TOML bytes, through the config parser, to compiled
 * rules) and for decisions. In the normal test run they replay the seed inputs under
 * {@code src/test/resources/.../PolicyFuzzTestInputs}; with {@code JAZZER_FUZZ=1} they fuzz
 * for {@code maxDuration} (see docs/security.md for longer runs).
 */
class PolicyFuzzTest {

    /**
     * Any bytes: a policy or a problem list, never another exception. An input that makes the
     * compiler hang fails the timeout (a hang guard, not a speed bound; when fuzzing, Jazzer
     * reports slow inputs itself).
     */
    @FuzzTest(maxDuration = "30s")
    @Timeout(120)
    void policyTextNeverCrashes(byte[] input) {
        try {
            PolicyCompiler.compile(Toml.parse(input, "fuzz.toml"), "fuzz.toml", Clock.systemUTC());
        } catch (TomlException | PolicyException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.toml");
        }
    }

    /** Rules built from fuzzed patterns either compile or are refused; decisions are always total. */
    @FuzzTest(maxDuration = "30s")
    void decisionsOnFuzzedRulesAreTotal(FuzzedDataProvider data) {
        StringBuilder toml = new StringBuilder();
        int rules = data.consumeInt(0, 20);
        for (int i = 0; i < rules; i++) {
            toml.append("[[policy.rules]]\nid = \"r").append(i).append("\"\nrole = ").append(quoted(data.consumeString(12)))
                    .append("\naction = ").append(quoted(data.consumeString(20)))
                    .append("\nresource = ").append(quoted(data.consumeString(20)))
                    .append("\neffect = ").append(quoted(data.pickValue(new String[] {"allow", "deny", "ask", "maybe"})))
                    .append("\npriority = ").append(data.consumeInt(-5, 5)).append('\n');
        }
        CompiledPolicy policy;
        try {
            policy = PolicyCompiler.compile("fuzz.toml", toml.toString(), Clock.systemUTC());
        } catch (PolicyException refused) {
            assertThat(refused.problems()).isNotEmpty();
            return;
        }
        Subject subject = new Subject("fuzz", Set.of(data.consumeString(12)), Optional.empty(), Optional.empty());
        Verdict v = policy.evaluate(subject, data.consumeString(20), data.consumeRemainingAsString());
        assertThat(v.rule()).isNotBlank();
        assertThat(v.rule().equals(Verdict.DEFAULT_DENY) || policy.rules().stream().anyMatch(r -> r.id().equals(v.rule())))
                .isTrue();
    }

    private static String quoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0xD800 && c <= 0xDFFF)) {
                out.append(String.format("\\u%04x", c & 0xFFFF).replace("\\ud", "\\u0"));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
