package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TomlWriterTest {

    private static final Position P = new Position("mem", 1, 1);

    private static TomlTable parse(String source) throws TomlException {
        return Toml.parse(source, "t.toml");
    }

    private static TomlTable roundTrip(TomlTable table) throws TomlException {
        String text = Toml.write(table);
        TomlTable back = Toml.parse(text, "written.toml");
        assertThat(back.sameValue(table)).as("round trip of:%n%s", text).isTrue();
        assertThat(Toml.write(back)).as("writing is idempotent").isEqualTo(text);
        return back;
    }

    private static TomlTable table(Object... keysAndValues) {
        Map<String, TomlValue> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (TomlValue) keysAndValues[i + 1]);
        }
        return new TomlTable(map, P);
    }

    @Test
    void writesPlainValuesFirstThenTablesThenArraysOfTables() throws TomlException {
        TomlTable t = parse("""
                title = "x"
                empty = {}
                when = 1979-05-27
                [server]
                host = "localhost"
                [server.limits.http]
                max = 10
                [server.tls]
                enabled = true
                [[plugins]]
                name = "a"
                [[plugins]]
                name = 'b'
                opts = { x = 1, "y z" = [1, 2.5, "s"], n = {} }
                [plugins.extra]
                k = 'v'
                """);
        assertThat(Toml.write(t)).isEqualTo("""
                title = "x"
                when = 1979-05-27

                [empty]

                [server]
                host = "localhost"

                [server.limits.http]
                max = 10

                [server.tls]
                enabled = true

                [[plugins]]
                name = "a"

                [[plugins]]
                name = "b"

                [plugins.opts]
                x = 1
                "y z" = [1, 2.5, "s"]

                [plugins.opts.n]

                [plugins.extra]
                k = "v"
                """);
        roundTrip(t);
    }

    @Test
    void emptyTableWritesNothing() {
        assertThat(Toml.write(TomlTable.empty(P))).isEmpty();
    }

    @Test
    void escapesStrings() throws TomlException {
        TomlTable t = table("s", new TomlString("a\"b\\c\b\t\n\f\r\u0001\u001F\u007F \u00e9\uD83D\uDE00", P));
        assertThat(Toml.write(t)).isEqualTo("s = \"a\\\"b\\\\c\\b\\t\\n\\f\\r\\u0001\\u001F\\u007F \u00e9\uD83D\uDE00\"\n");
        roundTrip(t);
    }

    @Test
    void quotesKeysThatAreNotBare() throws TomlException {
        TomlTable t = table("bare_Key-1", new TomlInteger(1, P), "a b", new TomlInteger(2, P),
                "", new TomlInteger(3, P), "\u00e9", new TomlInteger(4, P), "a.b", new TomlInteger(5, P),
                "q\"\n", new TomlInteger(6, P),
                "sub table", table("x.y", table("z", new TomlInteger(7, P))));
        assertThat(Toml.write(t)).isEqualTo("bare_Key-1 = 1\n\"a b\" = 2\n\"\" = 3\n\"\u00e9\" = 4\n\"a.b\" = 5\n"
                + "\"q\\\"\\n\" = 6\n\n[\"sub table\".\"x.y\"]\nz = 7\n");
        roundTrip(t);
    }

    @Test
    void writesFloats() throws TomlException {
        TomlTable t = table("a", new TomlFloat(1.0, P), "b", new TomlFloat(-0.0, P), "c", new TomlFloat(1e300, P),
                "d", new TomlFloat(1.5e-7, P), "e", new TomlFloat(Double.NaN, P),
                "f", new TomlFloat(Double.POSITIVE_INFINITY, P), "g", new TomlFloat(Double.NEGATIVE_INFINITY, P),
                "h", new TomlFloat(Double.MIN_VALUE, P), "i", new TomlFloat(123456.789, P));
        assertThat(Toml.write(t)).isEqualTo("a = 1.0\nb = -0.0\nc = 1.0E300\nd = 1.5E-7\ne = nan\nf = inf\n"
                + "g = -inf\nh = 4.9E-324\ni = 123456.789\n");
        roundTrip(t);
    }

    @Test
    void writesIntegersAndBooleans() throws TomlException {
        TomlTable t = table("min", new TomlInteger(Long.MIN_VALUE, P), "max", new TomlInteger(Long.MAX_VALUE, P),
                "yes", new TomlBoolean(true, P), "no", new TomlBoolean(false, P));
        assertThat(Toml.write(t)).isEqualTo("min = -9223372036854775808\nmax = 9223372036854775807\n"
                + "yes = true\nno = false\n");
        roundTrip(t);
    }

    @Test
    void writesAllDateTimeForms() throws TomlException {
        TomlTable t = table(
                "odt", new TomlDateTime(OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 0, ZoneOffset.UTC), P),
                "odt2", new TomlDateTime(OffsetDateTime.of(1979, 5, 27, 0, 32, 0, 999_999_000,
                        ZoneOffset.ofHoursMinutes(-7, -30)), P),
                "odt3", new TomlDateTime(OffsetDateTime.of(5, 1, 2, 3, 4, 5, 1, ZoneOffset.ofHours(18)), P),
                "ldt", new TomlDateTime(LocalDateTime.of(1979, 5, 27, 7, 0), P),
                "ld", new TomlDateTime(LocalDate.of(1979, 5, 27), P),
                "lt", new TomlDateTime(LocalTime.of(7, 0), P),
                "lt2", new TomlDateTime(LocalTime.of(0, 32, 0, 500_000_000), P));
        assertThat(Toml.write(t)).isEqualTo("odt = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27T00:32:00.999999-07:30\n"
                + "odt3 = 0005-01-02T03:04:05.000000001+18:00\nldt = 1979-05-27T07:00:00\nld = 1979-05-27\n"
                + "lt = 07:00:00\nlt2 = 00:32:00.5\n");
        roundTrip(t);
    }

    @Test
    void arraysThatAreNotArraysOfTablesStayInline() throws TomlException {
        TomlTable inner = table("k", new TomlInteger(1, P));
        TomlTable t = table(
                "empty", new TomlArray(List.of(), P),
                "mixed", new TomlArray(List.of(inner, new TomlInteger(2, P)), P),
                "nested", new TomlArray(List.of(new TomlArray(List.of(inner), P)), P),
                "aot", new TomlArray(List.of(inner, TomlTable.empty(P)), P));
        assertThat(Toml.write(t)).isEqualTo("empty = []\nmixed = [{ k = 1 }, 2]\nnested = [[{ k = 1 }]]\n\n"
                + "[[aot]]\nk = 1\n\n[[aot]]\n");
        roundTrip(t);
    }

    @Test
    void roundTripsRepresentativeDocuments() throws TomlException {
        roundTrip(parse("""
                # This is a TOML document
                title = "TOML Example"

                [owner]
                name = "Tom Preston-Werner"
                dob = 1979-05-27T07:32:00-08:00

                [database]
                enabled = true
                ports = [ 8000, 8001, 8002 ]
                data = [ ["delta", "phi"], [3.14] ]
                temp_targets = { cpu = 79.5, case = 72.0 }

                [servers.alpha]
                ip = "10.0.0.1"

                [servers.beta]
                ip = "10.0.0.2"
                """));
        roundTrip(parse("""
                [[fruits]]
                name = "apple"
                [fruits.physical]
                color = "red"
                [[fruits.varieties]]
                name = "red delicious"
                [[fruits.varieties]]
                name = "granny smith"
                [[fruits]]
                name = "banana"
                [[fruits.varieties]]
                name = "plantain"
                points = [ { x = 1, y = 2, z = 3 }, { x = 7, y = 8, z = 9 } ]
                deep = { a = { b = { c = [ [], [{}], { d = 'e' } ] } } }
                """));
        roundTrip(parse("a.b.c = 1\na.d = 'x'\n\"\" = { \"\" = [\"\"] }\nml = '''\nline\n  two\\n'''\n"
                + "u = \"\\u0000\\u001b\\U0001F600\"\nf = [nan, -inf, +inf, -0.0, 1e-320]\n"
                + "t = [07:32:00.123456789, 1979-05-27 07:32:00Z, 2000-02-29T00:00:00.5-12:00]\n"));
    }

    @Test
    void roundTripsProgrammaticTablesRegardlessOfPositions() throws TomlException {
        TomlTable t = table("x", table("y", new TomlArray(List.of(table("z", TomlTable.empty(P))), P)),
                "list", new TomlArray(List.of(new TomlString("", P), new TomlArray(List.of(), P)), P));
        TomlTable back = roundTrip(t);
        assertThat(back).isNotEqualTo(t);
        assertThat(back.sameValue(t)).isTrue();
    }
}
