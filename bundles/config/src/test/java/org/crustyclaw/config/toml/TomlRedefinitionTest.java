package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules on defining keys and tables: what may be defined twice, extended, or not. */
class TomlRedefinitionTest {

    static Stream<Arguments> invalidRedefinitions() {
        return Stream.of(
                arguments("a = 1\nb = 2\nport = 1\nport = 2", 4, 1, "duplicate key 'port' (first defined at 3:1)"),
                arguments("spelling = 1\n\"spelling\" = 2", 2, 1, "duplicate key 'spelling' (first defined at 1:1)"),
                arguments("a.b = 1\na.b = 2", 2, 3, "duplicate key 'a.b' (first defined at 1:3)"),
                arguments("a.b.c = 1\na.b = 2", 2, 3, "duplicate key 'a.b' (first defined at 1:3)"),
                arguments("a = {b = 1, b = 2}", 1, 13, "duplicate key 'b' (first defined at 1:6)"),
                arguments("a = {b.c = 1, b = 2}", 1, 15, "duplicate key 'b' (first defined at 1:6)"),
                arguments("a = 1\n[server]\nport = 1\n[server]", 4, 1, "table [server] defined twice (first at 2:1)"),
                arguments("[a]\n[b]\n[a]", 3, 1, "table [a] defined twice (first at 1:1)"),
                arguments("[a.b]\n[a]\n[a.b]", 3, 1, "table [a.b] defined twice (first at 1:1)"),
                arguments("[a]\n[a.b]\n[a]", 3, 1, "table [a] defined twice (first at 1:1)"),
                arguments("[[a]]\n[a.b]\n[a.b]", 3, 1, "table [a.b] defined twice (first at 2:1)"),
                arguments("a.b = 1\n[a]", 2, 1, "table [a] defined twice (first by dotted keys at 1:1)"),
                arguments("[a]\nb.c = 1\n[a.b]", 3, 1, "table [a.b] defined twice (first by dotted keys at 2:1)"),
                arguments("[fruit]\napple.color = 1\napple.taste.sweet = true\n[fruit.apple.taste]", 4, 1,
                        "table [fruit.apple.taste] defined twice (first by dotted keys at 3:7)"),
                arguments("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 3,
                        "cannot add keys to table 'b.c' (defined at 1:1) using dotted keys"),
                arguments("[a.b]\nc = 1\n[a]\nb.d = 2", 4, 1,
                        "cannot add keys to table 'b' (defined at 1:1) using dotted keys"),
                arguments("[a.b]\n[a]\nb = 1", 3, 1, "duplicate key 'b' (first defined at 1:1)"),
                arguments("[a.b.c]\n[a]\nb = {}", 3, 1, "duplicate key 'b' (first defined at 1:4)"),
                arguments("a = 1\na.b = 2", 2, 1, "cannot use key 'a' as a table: it is already an integer (defined at 1:1)"),
                arguments("a = 'x'\n[a]", 2, 1, "cannot define table [a]: key 'a' is already a string (defined at 1:1)"),
                arguments("[a]\nb = 1\n[a.b]", 3, 1, "cannot define table [a.b]: key 'a.b' is already an integer (defined at 2:1)"),
                arguments("x = true\n[x.y]", 2, 2, "cannot use key 'x' as a table: it is already a boolean (defined at 1:1)"),
                arguments("x = 1979-05-27\n[[x.y]]", 2, 3,
                        "cannot use key 'x' as a table: it is already a datetime (defined at 1:1)"),
                arguments("a = {b = 1}\na.c = 2", 2, 1, "cannot extend inline table 'a' (defined at 1:1)"),
                arguments("a = {b = 1}\n[a]", 2, 1, "cannot extend inline table 'a' (defined at 1:1)"),
                arguments("a = {b = 1}\n[a.c]", 2, 2, "cannot extend inline table 'a' (defined at 1:1)"),
                arguments("a = {b = {c = 1}}\n[a.b]", 2, 2, "cannot extend inline table 'a' (defined at 1:1)"),
                arguments("a = {b = {c = 1}, b.d = 2}", 1, 19, "cannot extend inline table 'b' (defined at 1:6)"),
                arguments("a = {}\n[[a]]", 2, 1,
                        "cannot define array of tables [[a]]: key 'a' is already an inline table (defined at 1:1)"),
                arguments("a = [1]\n[[a]]", 2, 1, "cannot append to static array 'a' (defined at 1:1) with [[a]]"),
                arguments("a = []\n[[a]]", 2, 1, "cannot append to static array 'a' (defined at 1:1) with [[a]]"),
                arguments("a = [{}]\n[a.b]", 2, 2, "cannot extend static array 'a' (defined at 1:1)"),
                arguments("a = []\na.b = 1", 2, 1, "cannot extend static array 'a' (defined at 1:1)"),
                arguments("[a]\n[[a]]", 2, 1, "cannot define array of tables [[a]]: key 'a' is already a table (defined at 1:1)"),
                arguments("a.b = 1\n[[a]]", 2, 1, "cannot define array of tables [[a]]: key 'a' is already a table (defined at 1:1)"),
                arguments("[[a]]\n[a]", 2, 1,
                        "cannot define table [a]: key 'a' is already an array of tables (defined at 1:1)"),
                arguments("[[a]]\nb = 1\nb = 2", 3, 1, "duplicate key 'b' (first defined at 2:1)"),
                arguments("[[a.b]]\n[a]\nb.c = 1", 3, 1,
                        "cannot use key 'b' as a table: it is already an array of tables (defined at 1:1)"),
                arguments("[[a]]\n[[a]]\n[x]\n[a]", 4, 1,
                        "cannot define table [a]: key 'a' is already an array of tables (defined at 1:1)"),
                arguments("[a.\"b.c\"]\n[a.'b.c']", 2, 1, "table [a.\"b.c\"] defined twice (first at 1:1)"));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @MethodSource("invalidRedefinitions")
    void rejectsRedefinitions(String source, int line, int column, String reason) {
        TomlException e = TomlErrorsTest.error(source);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.position()).isEqualTo(new Position("t.toml", line, column));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[a.b.c]\n[a]\n[a.b]",
        "[a.b]\nx = 1\n[a]\ny = 2",
        "[a]\n[a.b]\n[a.c]",
        "a.b.c = 1\na.b.d = 2\na.e = 3",
        "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true",
        "[a.b.c]\n[a]\nb.d = 1",
        "[[a]]\nb.c = 1\n[[a]]\nb.c = 2",
        "[[a]]\n[a.b]\n[[a]]\n[a.b]",
        "[[a]]\n[[a.b]]\n[a.b.c]\n[[a.b]]\n[a.b.c]",
        "[a]\nb = {c = 1}\n[d]\nb = [1]",
        "x = {a.b = 1, a.c = 2, d = {e = 1}}",
        "x = {a.b = 1, n = {m.k = 1}, a.c = 2}",
        "[\"\"]\n[''.a]\nb = 1",
        "[[a]]\na = 1",
        "a = [{b = 1}]\nc = [[1], [{d = 2}]]"
    })
    void acceptsValidCombinations(String source) throws TomlException {
        TomlTable t = Toml.parse(source, "t.toml");
        assertThat(t.isEmpty()).isFalse();
    }
}
