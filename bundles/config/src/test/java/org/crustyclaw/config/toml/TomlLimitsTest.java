package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Size and nesting limits, and input that is not valid Unicode. */
class TomlLimitsTest {

    private static final String DEPTH = "nesting depth exceeds the limit of 64";

    private static TomlException error(byte[] bytes) {
        try {
            return fail("expected a TomlException, parsed " + Toml.parse(bytes, "b.toml"));
        } catch (TomlException e) {
            return e;
        }
    }

    private static void assertError(TomlException e, int line, int column, String reason) {
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.position().line()).isEqualTo(line);
        assertThat(e.position().column()).isEqualTo(column);
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    @Test
    void tenThousandOpenBracketsGiveADepthErrorNotACrash() {
        assertError(TomlErrorsTest.error("a = " + "[".repeat(10_000)), 1, 69, DEPTH);
        assertError(TomlErrorsTest.error("[".repeat(10_000)), 1, 3, "expected a key, found '['");
        assertError(TomlErrorsTest.error("a = " + "{b = ".repeat(10_000)), 1, 321, DEPTH);
        assertError(TomlErrorsTest.error("a = " + "[{b = ".repeat(10_000)), 1, 193, DEPTH);
    }

    @Test
    void arraysNestAtMost64LevelsIncludingTheKey() throws TomlException {
        TomlTable ok = Toml.parse("a = " + "[".repeat(63) + "1" + "]".repeat(63), "t.toml");
        assertThat(ok.get("a")).isPresent();
        Toml.parse("a = " + "[".repeat(64) + "]".repeat(64), "t.toml");
        assertError(TomlErrorsTest.error("a = " + "[".repeat(64) + "1" + "]".repeat(64)), 1, 69, DEPTH);
    }

    @Test
    void dottedKeysAndHeadersCountTowardsDepth() throws TomlException {
        Toml.parse("a" + ".a".repeat(63) + " = 1", "t.toml");
        assertError(TomlErrorsTest.error("a" + ".a".repeat(64) + " = 1"), 1, 129, DEPTH);
        assertError(TomlErrorsTest.error("a" + ".a".repeat(100_000) + " = 1"), 1, 129, DEPTH);
        Toml.parse("[a" + ".a".repeat(62) + "]\nb = 1", "t.toml");
        assertError(TomlErrorsTest.error("[a" + ".a".repeat(63) + "]\nb = 1"), 2, 1, DEPTH);
        assertError(TomlErrorsTest.error("[a" + ".a".repeat(59) + "]\nb.c.d.e.f = 1"), 2, 9, DEPTH);
        assertError(TomlErrorsTest.error("[a" + ".a".repeat(59) + "]\nb.c.d = [[1]]"), 2, 11, DEPTH);
        assertError(TomlErrorsTest.error("[[a" + ".a".repeat(63) + "]]"), 1, 129, DEPTH);
    }

    @Test
    void inputLargerThan4MiBIsRejected() throws TomlException {
        String limit = "#" + "x".repeat(Toml.MAX_INPUT_BYTES - 1);
        assertThat(Toml.parse(limit, "t.toml").isEmpty()).isTrue();
        assertThat(Toml.parse(limit.getBytes(StandardCharsets.US_ASCII), "t.toml").isEmpty()).isTrue();
        String reason = "input is larger than the limit of 4194304 bytes (4 MiB)";
        assertError(TomlErrorsTest.error(limit + "x"), 1, 1, reason);
        assertError(error((limit + "x").getBytes(StandardCharsets.US_ASCII)), 1, 1, reason);
        assertError(TomlErrorsTest.error("#" + "\u00e9".repeat(Toml.MAX_INPUT_BYTES / 2)), 1, 1, reason);
    }

    @Test
    void stringsLongerThan1MiBAreRejected() throws TomlException {
        String max = "x".repeat(Toml.MAX_STRING_BYTES);
        assertThat(((TomlString) Toml.parse("a = \"" + max + "\"", "t").get("a").orElseThrow()).value()).hasSize(max.length());
        String reason = "string exceeds the limit of 1048576 bytes (1 MiB)";
        assertError(TomlErrorsTest.error("a = \"" + max + "x\""), 1, 5, reason);
        assertError(TomlErrorsTest.error("a = '''" + max + "x'''"), 1, 5, reason);
        assertError(TomlErrorsTest.error("a = \"\u00e9" + "\u00e9".repeat(Toml.MAX_STRING_BYTES / 2) + "\""), 1, 5, reason);
        assertError(TomlErrorsTest.error("\"" + max + "x\" = 1"), 1, 1, reason);
        assertError(TomlErrorsTest.error(max + "x = 1"), 1, 1, "key exceeds the limit of 1048576 bytes");
    }

    @Test
    void moreThan100000KeysAreRejected() throws TomlException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Toml.MAX_KEYS; i++) {
            sb.append('k').append(i).append(" = ").append(i).append('\n');
        }
        assertThat(Toml.parse(sb.toString(), "t").size()).isEqualTo(Toml.MAX_KEYS);
        assertError(TomlErrorsTest.error(sb + "one_more = 1"), 100_001, 1, "too many keys: the limit is 100000");
        assertError(TomlErrorsTest.error("[[a]]\n".repeat(100_000)), 100_000, 1, "too many keys: the limit is 100000");
    }

    @Test
    void invalidUtf8IsRejectedWithTheLineAndColumnOfTheBadByte() {
        assertError(error(bytes("a = \"", 0xFF, "\"")), 1, 6, "invalid UTF-8: unexpected byte 0xFF");
        assertError(error(bytes("a = 1\n\u00e9\u00e9 = \"", 0x80, "\"")), 2, 7, "invalid UTF-8: unexpected byte 0x80");
        assertError(error(bytes("# ", 0xC3, "\n")), 1, 3,
                "invalid UTF-8: expected a continuation byte after 0xC3, found byte 0x0A");
        assertError(error(bytes("a = 1\n\n# ", 0xE2, 0x82)), 3, 3,
                "invalid UTF-8: sequence starting with byte 0xE2 is cut off by the end of input");
        assertError(error(bytes("a = '", 0xC0, 0x80, "'")), 1, 6, "invalid UTF-8: overlong encoding of U+0000");
        assertError(error(bytes("a = '", 0xE0, 0x80, 0xAF, "'")), 1, 6, "invalid UTF-8: overlong encoding of U+002F");
        assertError(error(bytes("a = '", 0xED, 0xA0, 0x80, "'")), 1, 6, "invalid UTF-8: encoded surrogate U+D800");
        assertError(error(bytes("a = '", 0xF4, 0x90, 0x80, 0x80, "'")), 1, 6, "invalid UTF-8: code point above U+10FFFF");
        assertError(error(bytes("a = '", 0xF8, "'")), 1, 6, "invalid UTF-8: unexpected byte 0xF8");
        assertError(error(bytes(0xFE, 0xFF, 0, "a")), 1, 1, "invalid UTF-8: unexpected byte 0xFE");
    }

    @Test
    void validMultiByteUtf8IsDecoded() throws TomlException {
        TomlTable t = Toml.parse(bytes("a = \"\u00e9\u20ac\uD83D\uDE00\"\nb = 1"), "b.toml");
        assertThat(((TomlString) t.get("a").orElseThrow()).value()).isEqualTo("\u00e9\u20ac\uD83D\uDE00");
        assertThat(t.get("b").orElseThrow().position()).isEqualTo(new Position("b.toml", 2, 1));
    }

    @Test
    void unpairedSurrogatesInStringInputAreRejected() {
        assertError(TomlErrorsTest.error("a = 1\nb = \"x\uD800\""), 2, 7, "invalid character: unpaired surrogate U+D800");
        assertError(TomlErrorsTest.error("a = \"\uDC00\uD83D\""), 1, 6, "invalid character: unpaired surrogate U+DC00");
    }

    @Test
    void byteOrderMarkIsOnlyAllowedOnceAtTheStart() {
        assertError(error(bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, "a = 1")), 1, 1, "expected a key, found character U+FEFF");
        assertError(TomlErrorsTest.error("a = \uFEFF1"), 1, 5, "expected a value, found character U+FEFF");
    }

    @Test
    void bareCarriageReturnIsRejected() {
        assertError(TomlErrorsTest.error("a = 1\r"), 1, 6, "expected a line feed after carriage return, found end of input");
        assertError(TomlErrorsTest.error("\r"), 1, 1, "expected a line feed after carriage return, found end of input");
        assertError(TomlErrorsTest.error("a = [\r1]"), 1, 6, "expected a line feed after carriage return, found '1'");
    }

    /** A parser quadratic in the input would not finish: the timeout only guards against that hang (speed: bench/security LargeInputBench). */
    @Test
    @Timeout(120)
    void largeValidDocumentsParseWhole() throws TomlException {
        String array = "a = [" + "1, ".repeat(1_000_000) + "]";
        TomlTable t = Toml.parse(array, "t");
        assertThat(((TomlArray) t.get("a").orElseThrow()).size()).isEqualTo(1_000_000);
    }
}
