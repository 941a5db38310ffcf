package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of syntax error, with its exact position and reason. */
class TomlErrorsTest {

    static TomlException error(String source) {
        try {
            TomlTable t = Toml.parse(source, "t.toml");
            return fail("expected a TomlException, parsed " + t);
        } catch (TomlException e) {
            return e;
        }
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                // key/value lines
                arguments("name x", 1, 6, "expected '=' after key 'name', found 'x'"),
                arguments("a.b \"c\"", 1, 5, "expected '=' after key 'a.b', found '\"'"),
                arguments("key", 1, 4, "expected '=' after key 'key', found end of input"),
                arguments("a = 1\nb", 2, 2, "expected '=' after key 'b', found end of input"),
                arguments("= 1", 1, 1, "expected a key, found '='"),
                arguments("a. = 1", 1, 4, "expected a key after '.', found '='"),
                arguments("a..b = 1", 1, 3, "expected a key after '.', found '.'"),
                arguments(".a = 1", 1, 1, "expected a key, found '.'"),
                arguments("a = ", 1, 5, "expected a value, found end of input"),
                arguments("a =\nb = 1", 1, 4, "expected a value, found newline"),
                arguments("a = # c", 1, 5, "expected a value, found '#'"),
                arguments("a = 1 2", 1, 7, "expected end of line after value, found '2'"),
                arguments("a = \"x\" \"y\"", 1, 9, "expected end of line after value, found '\"'"),
                arguments("a = abc", 1, 5, "expected a value, found 'abc'"),
                arguments("a = True", 1, 5, "expected a value, found 'True'"),
                arguments("a = truex", 1, 5, "expected a value, found 'truex'"),
                arguments("\u00e9 = 1", 1, 1, "expected a key, found '\u00e9'"),
                arguments("\"\"\"a\"\"\" = 1", 1, 1, "multi-line strings cannot be used as keys"),
                arguments("'''a''' = 1", 1, 1, "multi-line strings cannot be used as keys"),
                // headers
                arguments("[]", 1, 2, "expected a key, found ']'"),
                arguments("[a.]", 1, 4, "expected a key after '.', found ']'"),
                arguments("[a", 1, 3, "expected ']' to close table header [a], found end of input"),
                arguments("[a b]", 1, 4, "expected ']' to close table header [a], found 'b'"),
                arguments("[[a]", 1, 5, "expected ']]' to close array of tables header [[a]], found end of input"),
                arguments("[[a] ]", 1, 5, "expected ']]' to close array of tables header [[a]], found space"),
                arguments("[a] x", 1, 5, "expected end of line after table header [a], found 'x'"),
                arguments("[[a]] x", 1, 7, "expected end of line after array of tables header [[a]], found 'x'"),
                arguments("[\"a\nb\"]", 1, 4, "unterminated string: expected '\"' before the end of the line, found newline"),
                // arrays and inline tables
                arguments("a = [1 2]", 1, 8, "expected ',' or ']' after array element, found '2'"),
                arguments("a = [1,,2]", 1, 8, "expected a value, found ','"),
                arguments("a = [,]", 1, 6, "expected a value, found ','"),
                arguments("a = [1,", 1, 8, "expected a value, found end of input"),
                arguments("a = [1", 1, 7,
                        "unterminated array started at 1:5: expected ',' or ']' after array element, found end of input"),
                arguments("a = {b = 1,}", 1, 12, "trailing comma is not allowed in an inline table, found '}' after ','"),
                arguments("a = {b = 1\n}", 1, 11,
                        "expected ',' or '}' in inline table, found newline (inline tables must be on one line)"),
                arguments("a = {\nb = 1}", 1, 6,
                        "expected a key in inline table, found newline (inline tables must be on one line)"),
                arguments("a = {b = 1 c = 2}", 1, 12, "expected ',' or '}' in inline table, found 'c'"),
                arguments("a = {b = 1", 1, 11,
                        "unterminated inline table started at 1:5: expected ',' or '}' in inline table, found end of input"),
                arguments("a = {,}", 1, 6, "expected a key, found ','"),
                arguments("a = {b}", 1, 7, "expected '=' after key 'b', found '}'"),
                // strings
                arguments("a = \"abc", 1, 9, "unterminated string: expected '\"' before the end of the line, found end of input"),
                arguments("a = \"abc\ndef\"", 1, 9, "unterminated string: expected '\"' before the end of the line, found newline"),
                arguments("a = 'abc\n", 1, 9,
                        "unterminated literal string: expected \"'\" before the end of the line, found newline"),
                arguments("a = \"\"\"abc", 1, 11,
                        "unterminated multi-line string started at 1:5: expected '\"\"\"', found end of input"),
                arguments("a = '''abc\n", 2, 1,
                        "unterminated multi-line string started at 1:5: expected ''''', found end of input"),
                arguments("a = \"\"\"x\"\"\"\"\"\"", 1, 14, "expected end of line after value, found '\"'"),
                arguments("a = \"a\\qb\"", 1, 7, "invalid escape '\\q' in string"),
                arguments("a = \"\\x41\"", 1, 6, "invalid escape '\\x' in string"),
                arguments("a = \"\\e\"", 1, 6, "invalid escape '\\e' in string"),
                arguments("a = \"\"\"\\/\"\"\"", 1, 8, "invalid escape '\\/' in string"),
                arguments("a = \"x\\ y\"", 1, 7, "invalid escape: '\\' followed by space in string"),
                arguments("a = \"\"\"x\\ y\"\"\"", 1, 9, "invalid escape: '\\' followed by space in string"),
                arguments("a = \"\\", 1, 6, "invalid escape: '\\' at end of input"),
                arguments("a = \"\\u12G4\"", 1, 6,
                        "invalid escape '\\u12' in string: expected 4 hexadecimal digits, found 'G'"),
                arguments("a = \"\\u123\"", 1, 6,
                        "invalid escape '\\u123' in string: expected 4 hexadecimal digits, found '\"'"),
                arguments("a = \"\\uD800\"", 1, 6, "invalid escape '\\uD800' in string: not a Unicode scalar value"),
                arguments("a = \"\\U00110000\"", 1, 6,
                        "invalid escape '\\U00110000' in string: not a Unicode scalar value"),
                arguments("a = \"a\u0001\"", 1, 7, "control character U+0001 is not allowed in a string"),
                arguments("a = 'a\u007F'", 1, 7, "control character U+007F is not allowed in a string"),
                arguments("a = '''a\u0000'''", 1, 9, "control character U+0000 is not allowed in a string"),
                arguments("a = \"\"\"a\rb\"\"\"", 1, 9, "expected a line feed after carriage return, found 'b'"),
                // comments and line endings
                arguments("# bell\u0007", 1, 7, "control character U+0007 is not allowed in a comment"),
                arguments("a = 1 # \u007F", 1, 9, "control character U+007F is not allowed in a comment"),
                arguments("a = 1\r b = 2", 1, 6, "expected a line feed after carriage return, found space"),
                arguments("a = 1 # c\rb = 2", 1, 10, "expected a line feed after carriage return, found 'b'"),
                arguments("\u000Ba = 1", 1, 1, "expected a key, found character U+000B"),
                arguments("a = 1\n\uFEFFb = 2", 2, 1, "expected a key, found character U+FEFF"),
                arguments("a = \u3000 1", 1, 5, "expected a value, found character U+3000"),
                // integers
                arguments("a = 0123", 1, 5, "invalid number '0123': leading zeros are not allowed"),
                arguments("a = -01", 1, 5, "invalid number '-01': leading zeros are not allowed"),
                arguments("a = 0_1", 1, 5, "invalid number '0_1': leading zeros are not allowed"),
                arguments("a = 1__2", 1, 5, "invalid number '1__2': underscores must be between digits"),
                arguments("a = 1_", 1, 5, "invalid number '1_': underscores must be between digits"),
                arguments("a = _1", 1, 5, "expected a value, found '_1'"),
                arguments("a = +_1", 1, 5, "invalid number '+_1': underscores must be between digits"),
                arguments("a = ++1", 1, 5, "invalid number '++1': expected a digit, found '+'"),
                arguments("a = 9223372036854775808", 1, 5,
                        "integer out of range: '9223372036854775808' does not fit in 64 bits"),
                arguments("a = -9223372036854775809", 1, 5,
                        "integer out of range: '-9223372036854775809' does not fit in 64 bits"),
                arguments("a = 0x8000000000000000", 1, 5,
                        "integer out of range: '0x8000000000000000' does not fit in 64 bits"),
                arguments("a = 0o1777777777777777777777", 1, 5,
                        "integer out of range: '0o1777777777777777777777' does not fit in 64 bits"),
                arguments("a = 0b" + "1".repeat(64), 1, 5,
                        "integer out of range: '0b" + "1".repeat(58) + "...' does not fit in 64 bits"),
                arguments("a = -0x1", 1, 5,
                        "invalid number '-0x1': a sign is not allowed on hexadecimal, octal or binary integers"),
                arguments("a = 0x", 1, 5, "invalid number '0x': expected hexadecimal digits after '0x', found end of number"),
                arguments("a = 0xG", 1, 5, "invalid number '0xG': expected hexadecimal digits after '0x', found 'G'"),
                arguments("a = 0b102", 1, 5, "invalid number '0b102': unexpected '2' in binary integer"),
                arguments("a = 0o8", 1, 5, "invalid number '0o8': expected octal digits after '0o', found '8'"),
                arguments("a = 0X1F", 1, 5, "invalid number '0X1F': unexpected 'X'"),
                arguments("a = 1a", 1, 5, "invalid number '1a': unexpected 'a'"),
                // floats
                arguments("a = 1.", 1, 5, "invalid number '1.': expected a digit after '.', found end of number"),
                arguments("a = 1.e5", 1, 5, "invalid number '1.e5': expected a digit after '.', found 'e'"),
                arguments("a = .5", 1, 5, "expected a value, found '.5'"),
                arguments("a = 1e", 1, 5, "invalid number '1e': expected a digit in the exponent, found end of number"),
                arguments("a = 1e+", 1, 5, "invalid number '1e+': expected a digit in the exponent, found end of number"),
                arguments("a = 1.5.3", 1, 5, "invalid number '1.5.3': unexpected '.'"),
                arguments("a = 03.14", 1, 5, "invalid number '03.14': leading zeros are not allowed"),
                arguments("a = 1._5", 1, 5, "invalid number '1._5': underscores must be between digits"),
                arguments("a = 1e400", 1, 5, "float out of range: '1e400'"),
                arguments("a = -1e400", 1, 5, "float out of range: '-1e400'"),
                arguments("a = Inf", 1, 5, "expected a value, found 'Inf'"),
                arguments("a = +in", 1, 5, "invalid number '+in': expected a digit, found 'i'"),
                // date-times
                arguments("a = 2023-02-29", 1, 5, "invalid date-time '2023-02-29': day must be 01..28 for that month"),
                arguments("a = 2024-04-31", 1, 5, "invalid date-time '2024-04-31': day must be 01..30 for that month"),
                arguments("a = 2023-13-01", 1, 5, "invalid date-time '2023-13-01': month must be 01..12"),
                arguments("a = 2023-1-01", 1, 5, "invalid date-time '2023-1-01': expected 2 digits for the month, found '1'"),
                arguments("a = 1979-05-27X", 1, 5, "invalid date-time '1979-05-27X': expected 'T' or end of date, found 'X'"),
                arguments("a = 1979-05-27T", 1, 5,
                        "invalid date-time '1979-05-27T': expected 2 digits for the hour, found end of value"),
                arguments("a = 25:00:00", 1, 5, "invalid date-time '25:00:00': hour must be 00..23"),
                arguments("a = 07:60:00", 1, 5, "invalid date-time '07:60:00': minute must be 00..59"),
                arguments("a = 07:32:60", 1, 5,
                        "invalid date-time '07:32:60': second must be 00..59 (leap seconds are not supported)"),
                arguments("a = 07:32", 1, 5,
                        "invalid date-time '07:32': expected ':' after the minute (seconds are required), found end of value"),
                arguments("a = 1979-05-27 07:32", 1, 5, "invalid date-time '1979-05-27 07:32': "
                        + "expected ':' after the minute (seconds are required), found end of value"),
                arguments("a = 07:32:00.", 1, 5, "invalid date-time '07:32:00.': expected a digit after '.', found end of value"),
                arguments("a = 07:32:00Z", 1, 5, "invalid date-time '07:32:00Z': unexpected 'Z' after the time"),
                arguments("a = 1979-05-27T07:32:00+24:00", 1, 5,
                        "invalid date-time '1979-05-27T07:32:00+24:00': offset must be within -23:59..+23:59"),
                arguments("a = 1979-05-27T07:32:00-19:00", 1, 5,
                        "invalid date-time '1979-05-27T07:32:00-19:00': offsets beyond +-18:00 are not supported"),
                arguments("a = 1979-05-27T07:32:00+0700", 1, 5,
                        "invalid date-time '1979-05-27T07:32:00+0700': expected ':' in the offset, found '0'"),
                arguments("a = 1979-05-27T07:32:00Zx", 1, 5,
                        "invalid date-time '1979-05-27T07:32:00Zx': unexpected 'x' after the offset"),
                arguments("a = 10000-01-01", 1, 5, "invalid number '10000-01-01': unexpected '-'"));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @MethodSource("syntaxErrors")
    void reportsSyntaxErrorsWithExactPositions(String source, int line, int column, String reason) {
        TomlException e = error(source);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.position()).isEqualTo(new Position("t.toml", line, column));
        assertThat(e.getMessage()).isEqualTo("t.toml:" + line + ":" + column + ": " + reason);
    }

    @Test
    void longValuesAreCutInMessages() {
        TomlException e = error("a = " + "x".repeat(500));
        assertThat(e.reason()).isEqualTo("expected a value, found '" + "x".repeat(60) + "...'");
    }

    @Test
    void messageStartsWithTheFileName() {
        TomlException e = catchFrom(() -> Toml.parse("a = ?", "/etc/crustyclaw/agent.toml"));
        assertThat(e.getMessage()).isEqualTo("/etc/crustyclaw/agent.toml:1:5: expected a value, found '?'");
    }

    private interface Parse {
        TomlTable run() throws TomlException;
    }

    private static TomlException catchFrom(Parse parse) {
        try {
            return fail("expected a TomlException, parsed " + parse.run());
        } catch (TomlException e) {
            return e;
        }
    }
}
