package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import org.junit.jupiter.api.Test;

class TomlScalarsTest {

    private static TomlValue value(String literal) throws TomlException {
        return Toml.parse("v = " + literal, "t.toml").get("v").orElseThrow();
    }

    private static String string(String literal) throws TomlException {
        return ((TomlString) value(literal)).value();
    }

    private static long integer(String literal) throws TomlException {
        return ((TomlInteger) value(literal)).value();
    }

    private static double floating(String literal) throws TomlException {
        return ((TomlFloat) value(literal)).value();
    }

    private static Temporal dateTime(String literal) throws TomlException {
        return ((TomlDateTime) value(literal)).value();
    }

    @Test
    void basicStringDecodesEveryEscape() throws TomlException {
        assertThat(string("\"a\\bb\\tc\\nd\\fe\\rf\\\"g\\\\h\\u00e9\\U0001F600\""))
                .isEqualTo("a\bb\tc\nd\fe\rf\"g\\h\u00e9\uD83D\uDE00");
    }

    @Test
    void basicStringKeepsTabsAndUnicode() throws TomlException {
        assertThat(string("\"tab\there \u00fcber \uD83D\uDE00\"")).isEqualTo("tab\there \u00fcber \uD83D\uDE00");
        assertThat(string("\"\"")).isEmpty();
    }

    @Test
    void literalStringKeepsBackslashes() throws TomlException {
        assertThat(string("'C:\\Users\\nodejs\\templates'")).isEqualTo("C:\\Users\\nodejs\\templates");
        assertThat(string("'<\\i\\c*\\s*>'")).isEqualTo("<\\i\\c*\\s*>");
        assertThat(string("''")).isEmpty();
    }

    @Test
    void multiLineBasicTrimsTheFirstNewline() throws TomlException {
        assertThat(string("\"\"\"\nRoses are red\nViolets are blue\"\"\"")).isEqualTo("Roses are red\nViolets are blue");
        assertThat(string("\"\"\"\n\nsecond\"\"\"")).isEqualTo("\nsecond");
    }

    @Test
    void multiLineBasicLineEndingBackslashTrimsWhitespaceAndNewlines() throws TomlException {
        String source = "\"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\   \n    the lazy dog.\"\"\"";
        assertThat(string(source)).isEqualTo("The quick brown fox jumps over the lazy dog.");
        assertThat(string("\"\"\"\\\n   \"\"\"")).isEmpty();
    }

    @Test
    void multiLineBasicAllowsQuotesInsideAndBeforeTheClosingDelimiter() throws TomlException {
        assertThat(string("\"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\""))
                .isEqualTo("Here are two quotation marks: \"\". Simple enough.");
        assertThat(string("\"\"\"Here are three: \"\"\\\".\"\"\"")).isEqualTo("Here are three: \"\"\".");
        assertThat(string("\"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\""))
                .isEqualTo("\"This,\" she said, \"is just a pointless statement.\"");
        assertThat(string("\"\"\"x\"\"\"\"\"")).isEqualTo("x\"\"");
    }

    @Test
    void multiLineLiteralKeepsEverythingVerbatim() throws TomlException {
        assertThat(string("'''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''"))
                .isEqualTo("The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n");
        assertThat(string("'''I [dw]on't need \\d{2} apples'''")).isEqualTo("I [dw]on't need \\d{2} apples");
        assertThat(string("''''That,' she said, 'is still pointless.''''"))
                .isEqualTo("'That,' she said, 'is still pointless.'");
    }

    @Test
    void multiLineStringsNormalizeCrlfToLf() throws TomlException {
        assertThat(string("\"\"\"\r\na\r\nb\"\"\"")).isEqualTo("a\nb");
        assertThat(string("'''\r\na\r\nb'''")).isEqualTo("a\nb");
        assertThat(string("\"\"\"a \\\r\n   b\"\"\"")).isEqualTo("a b");
    }

    @Test
    void decimalIntegers() throws TomlException {
        assertThat(integer("+99")).isEqualTo(99);
        assertThat(integer("42")).isEqualTo(42);
        assertThat(integer("0")).isZero();
        assertThat(integer("-17")).isEqualTo(-17);
        assertThat(integer("+0")).isZero();
        assertThat(integer("-0")).isZero();
        assertThat(integer("1_000")).isEqualTo(1000);
        assertThat(integer("5_349_221")).isEqualTo(5_349_221);
        assertThat(integer("1_2_3_4_5")).isEqualTo(12345);
        assertThat(integer("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(integer("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void hexOctalAndBinaryIntegers() throws TomlException {
        assertThat(integer("0xDEADBEEF")).isEqualTo(0xDEADBEEFL);
        assertThat(integer("0xdeadbeef")).isEqualTo(0xDEADBEEFL);
        assertThat(integer("0xdead_beef")).isEqualTo(0xDEADBEEFL);
        assertThat(integer("0x7FFFFFFFFFFFFFFF")).isEqualTo(Long.MAX_VALUE);
        assertThat(integer("0x0000000000000000001")).isEqualTo(1);
        assertThat(integer("0o01234567")).isEqualTo(01234567);
        assertThat(integer("0o755")).isEqualTo(0755);
        assertThat(integer("0b11010110")).isEqualTo(0b11010110);
        assertThat(integer("0b1_0")).isEqualTo(2);
    }

    @Test
    void floats() throws TomlException {
        assertThat(floating("+1.0")).isEqualTo(1.0);
        assertThat(floating("3.1415")).isEqualTo(3.1415);
        assertThat(floating("-0.01")).isEqualTo(-0.01);
        assertThat(floating("5e+22")).isEqualTo(5e22);
        assertThat(floating("1e06")).isEqualTo(1e6);
        assertThat(floating("-2E-2")).isEqualTo(-2e-2);
        assertThat(floating("6.626e-34")).isEqualTo(6.626e-34);
        assertThat(floating("224_617.445_991_228")).isEqualTo(224617.445991228);
        assertThat(floating("0e0")).isEqualTo(0.0);
        assertThat(floating("1e-400")).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(floating("-0.0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(floating("+0.0")).isEqualTo(0.0);
    }

    @Test
    void specialFloats() throws TomlException {
        assertThat(floating("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(floating("+inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(floating("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(floating("nan")).isNaN();
        assertThat(floating("+nan")).isNaN();
        assertThat(floating("-nan")).isNaN();
    }

    @Test
    void booleans() throws TomlException {
        assertThat(((TomlBoolean) value("true")).value()).isTrue();
        assertThat(((TomlBoolean) value("false")).value()).isFalse();
    }

    @Test
    void offsetDateTimes() throws TomlException {
        assertThat(dateTime("1979-05-27T07:32:00Z"))
                .isEqualTo(OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 0, ZoneOffset.UTC));
        assertThat(dateTime("1979-05-27T00:32:00-07:00"))
                .isEqualTo(OffsetDateTime.of(1979, 5, 27, 0, 32, 0, 0, ZoneOffset.ofHours(-7)));
        assertThat(dateTime("1979-05-27T00:32:00.999999-07:00"))
                .isEqualTo(OffsetDateTime.of(1979, 5, 27, 0, 32, 0, 999_999_000, ZoneOffset.ofHours(-7)));
        assertThat(dateTime("1979-05-27 07:32:00Z"))
                .isEqualTo(OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 0, ZoneOffset.UTC));
        assertThat(dateTime("1979-05-27t07:32:00z"))
                .isEqualTo(OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 0, ZoneOffset.UTC));
        assertThat(dateTime("2000-02-29T23:59:59+05:30"))
                .isEqualTo(OffsetDateTime.of(2000, 2, 29, 23, 59, 59, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(dateTime("1979-05-27T07:32:00+18:00"))
                .isEqualTo(OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 0, ZoneOffset.ofHours(18)));
    }

    @Test
    void localDateTimesDatesAndTimes() throws TomlException {
        assertThat(dateTime("1979-05-27T07:32:00")).isEqualTo(LocalDateTime.of(1979, 5, 27, 7, 32, 0));
        assertThat(dateTime("1979-05-27 00:32:00.999999"))
                .isEqualTo(LocalDateTime.of(1979, 5, 27, 0, 32, 0, 999_999_000));
        assertThat(dateTime("1979-05-27")).isEqualTo(LocalDate.of(1979, 5, 27));
        assertThat(dateTime("0000-01-01")).isEqualTo(LocalDate.of(0, 1, 1));
        assertThat(dateTime("07:32:00")).isEqualTo(LocalTime.of(7, 32, 0));
        assertThat(dateTime("00:32:00.999999")).isEqualTo(LocalTime.of(0, 32, 0, 999_999_000));
    }

    @Test
    void fractionalSecondsBeyondNanosecondsAreTruncated() throws TomlException {
        assertThat(dateTime("00:00:00.1234567899")).isEqualTo(LocalTime.of(0, 0, 0, 123_456_789));
        assertThat(dateTime("00:00:00.5")).isEqualTo(LocalTime.of(0, 0, 0, 500_000_000));
    }

    @Test
    void dateFollowedBySpaceAndCommentIsADate() throws TomlException {
        TomlTable t = Toml.parse("d = 1979-05-27 # a comment\n", "t.toml");
        assertThat(((TomlDateTime) t.get("d").orElseThrow()).value()).isEqualTo(LocalDate.of(1979, 5, 27));
    }

    @Test
    void scalarsCarryThePositionOfTheirKey() throws TomlException {
        TomlTable t = Toml.parse("a = 1\n  b   =   'x'\nc.d = true\n", "f.toml");
        assertThat(t.get("a").orElseThrow().position()).isEqualTo(new Position("f.toml", 1, 1));
        assertThat(t.get("b").orElseThrow().position()).isEqualTo(new Position("f.toml", 2, 3));
        assertThat(t.getPath("c.d").orElseThrow().position()).isEqualTo(new Position("f.toml", 3, 3));
    }

    @Test
    void typeNames() throws TomlException {
        assertThat(value("'s'").typeName()).isEqualTo("string");
        assertThat(value("1").typeName()).isEqualTo("integer");
        assertThat(value("1.5").typeName()).isEqualTo("float");
        assertThat(value("true").typeName()).isEqualTo("boolean");
        assertThat(value("07:00:00").typeName()).isEqualTo("datetime");
        assertThat(value("[]").typeName()).isEqualTo("array");
        assertThat(value("{}").typeName()).isEqualTo("table");
    }
}
