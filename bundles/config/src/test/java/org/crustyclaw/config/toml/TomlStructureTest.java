package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TomlStructureTest {

    private static TomlTable parse(String source) throws TomlException {
        return Toml.parse(source, "t.toml");
    }

    private static TomlValue at(TomlTable table, String path) {
        return table.getPath(path).orElseThrow(() -> new AssertionError("missing " + path));
    }

    private static Object plain(TomlValue value) {
        if (value instanceof TomlString s) {
            return s.value();
        } else if (value instanceof TomlInteger i) {
            return i.value();
        } else if (value instanceof TomlFloat f) {
            return f.value();
        } else if (value instanceof TomlBoolean b) {
            return b.value();
        } else if (value instanceof TomlDateTime d) {
            return d.value();
        } else if (value instanceof TomlArray a) {
            return a.values().stream().map(TomlStructureTest::plain).toList();
        }
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        ((TomlTable) value).entries().forEach((k, v) -> map.put(k, plain(v)));
        return map;
    }

    @Test
    void emptyDocumentsGiveAnEmptyRootAt1x1() throws TomlException {
        for (String source : List.of("", " ", "\n", "\r\n", "# only a comment", "\t\n  # c\n\n")) {
            TomlTable t = parse(source);
            assertThat(t.entries()).isEmpty();
            assertThat(t.position()).isEqualTo(new Position("t.toml", 1, 1));
        }
    }

    @Test
    void commentsAreIgnoredEverywhereTheyAreAllowed() throws TomlException {
        TomlTable t = parse("# full line\nkey = \"value\"  # after a value\n[t] # after a header\n"
                + "arr = [ # inside an array\n  1, # after an element\n  2\n] # end\nx = \"# not a comment\"\n");
        assertThat(plain(t)).isEqualTo(java.util.Map.of("key", "value",
                "t", java.util.Map.of("arr", List.of(1L, 2L), "x", "# not a comment")));
    }

    @Test
    void bareQuotedAndLiteralKeys() throws TomlException {
        TomlTable t = parse("key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\n\"127.0.0.1\" = 5\n"
                + "\"character encoding\" = 6\n\"\u0294\u01DD\u029E\" = 7\n'key2' = 8\n'quoted \"value\"' = 9\n"
                + "\"\" = 10\n\"esc\\u0041ped\" = 11\n");
        assertThat(t.keys()).containsExactly("key", "bare_key", "bare-key", "1234", "127.0.0.1",
                "character encoding", "\u0294\u01DD\u029E", "key2", "quoted \"value\"", "", "escAped");
    }

    @Test
    void dottedKeysCreateNestedTables() throws TomlException {
        TomlTable t = parse("name = \"Orange\"\nphysical.color = \"orange\"\nphysical.shape = \"round\"\n"
                + "site.\"google.com\" = true\nfruit . flavor = 'x'\n3.14159 = \"pi\"\n");
        assertThat(plain(at(t, "physical"))).isEqualTo(java.util.Map.of("color", "orange", "shape", "round"));
        assertThat(plain(at(t, "site.\"google.com\""))).isEqualTo(true);
        assertThat(plain(at(t, "fruit.flavor"))).isEqualTo("x");
        assertThat(plain(at(t, "3.14159"))).isEqualTo("pi");
        assertThat(((TomlTable) at(t, "3")).keys()).containsExactly("14159");
    }

    @Test
    void dottedKeysMayBeSplitAcrossLinesOfTheSameTable() throws TomlException {
        TomlTable t = parse("apple.type = \"fruit\"\norange.type = \"fruit\"\napple.skin = \"thin\"\n"
                + "orange.skin = \"thick\"\napple.color = \"red\"\n");
        assertThat(((TomlTable) at(t, "apple")).keys()).containsExactly("type", "skin", "color");
    }

    @Test
    void tablesAndSuperTablesDefinedAfterwards() throws TomlException {
        TomlTable t = parse("[x.y.z.w]\na = 1\n[x]\nb = 2\n");
        assertThat(plain(t)).isEqualTo(java.util.Map.of("x",
                java.util.Map.of("y", java.util.Map.of("z", java.util.Map.of("w", java.util.Map.of("a", 1L))),
                        "b", 2L)));
    }

    @Test
    void headersMayHaveWhitespaceAndQuotedKeys() throws TomlException {
        TomlTable t = parse("[ a . \"b.c\" . 'd' ]\nx = 1\n[[ arr ]]\n");
        assertThat(plain(at(t, "a.\"b.c\".d.x"))).isEqualTo(1L);
        assertThat(((TomlArray) at(t, "arr")).size()).isEqualTo(1);
    }

    @Test
    void subTablesMayBeAddedToTablesDefinedByDottedKeys() throws TomlException {
        TomlTable t = parse("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n\n"
                + "[fruit.apple.texture]\nsmooth = true\n");
        assertThat(plain(at(t, "fruit.apple"))).isEqualTo(java.util.Map.of("color", "red",
                "taste", java.util.Map.of("sweet", true), "texture", java.util.Map.of("smooth", true)));
    }

    @Test
    void dottedKeysMayFillTablesThatHeadersOnlyImplied() throws TomlException {
        TomlTable t = parse("[a.b.c]\nz = 1\n[a]\nb.d = 2\n");
        assertThat(plain(at(t, "a.b"))).isEqualTo(java.util.Map.of("c", java.util.Map.of("z", 1L), "d", 2L));
    }

    @Test
    void arraysOfTables() throws TomlException {
        TomlTable t = parse("[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n[[products]]\n\n"
                + "[[products]]\nname = \"Nail\"\ncolor = \"gray\"\n");
        TomlArray products = (TomlArray) at(t, "products");
        assertThat(plain(products)).isEqualTo(List.of(java.util.Map.of("name", "Hammer", "sku", 738594937L),
                java.util.Map.of(), java.util.Map.of("name", "Nail", "color", "gray")));
        assertThat(products.position()).isEqualTo(new Position("t.toml", 1, 1));
        assertThat(products.get(1).position()).isEqualTo(new Position("t.toml", 5, 1));
        assertThat(products.get(2).position()).isEqualTo(new Position("t.toml", 7, 1));
    }

    @Test
    void nestedArraysOfTablesAndSubTablesAttachToTheLastElement() throws TomlException {
        TomlTable t = parse("[[fruits]]\nname = \"apple\"\n\n[fruits.physical]\ncolor = \"red\"\n\n"
                + "[[fruits.varieties]]\nname = \"red delicious\"\n\n[[fruits.varieties]]\nname = \"granny smith\"\n\n"
                + "[[fruits]]\nname = \"banana\"\n\n[[fruits.varieties]]\nname = \"plantain\"\n");
        assertThat(plain(t)).isEqualTo(java.util.Map.of("fruits", List.of(
                java.util.Map.of("name", "apple", "physical", java.util.Map.of("color", "red"),
                        "varieties", List.of(java.util.Map.of("name", "red delicious"),
                                java.util.Map.of("name", "granny smith"))),
                java.util.Map.of("name", "banana", "varieties", List.of(java.util.Map.of("name", "plantain"))))));
    }

    @Test
    void inlineTables() throws TomlException {
        TomlTable t = parse("name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = {x=1,y=2}\n"
                + "animal = { type.name = \"pug\", type.size = 'small' }\nempty = {}\n"
                + "nested = { a = { b = { c = [1, {d = 2}] } } }\n");
        assertThat(plain(at(t, "name"))).isEqualTo(java.util.Map.of("first", "Tom", "last", "Preston-Werner"));
        assertThat(plain(at(t, "point"))).isEqualTo(java.util.Map.of("x", 1L, "y", 2L));
        assertThat(plain(at(t, "animal.type"))).isEqualTo(java.util.Map.of("name", "pug", "size", "small"));
        assertThat(((TomlTable) at(t, "empty")).isEmpty()).isTrue();
        assertThat(plain(at(t, "nested.a.b.c"))).isEqualTo(List.of(1L, java.util.Map.of("d", 2L)));
    }

    @Test
    void arrays() throws TomlException {
        TomlTable t = parse("integers = [ 1, 2, 3 ]\ncolors = [ \"red\", 'yellow', \"\"\"green\"\"\" ]\n"
                + "nested = [ [ 1, 2 ], [3, 4, 5] ]\nmixed = [ [ 1, 2 ], [\"a\", \"b\", \"c\"], 0.5, true ]\n"
                + "trailing = [\n  1,\n  2, # comment\n]\nempty = [ ]\nblank = [\n\n]\n"
                + "tables = [ { x = 1 }, { y = 2 } ]\n");
        assertThat(plain(at(t, "integers"))).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(plain(at(t, "colors"))).isEqualTo(List.of("red", "yellow", "green"));
        assertThat(plain(at(t, "nested"))).isEqualTo(List.of(List.of(1L, 2L), List.of(3L, 4L, 5L)));
        assertThat(plain(at(t, "mixed"))).isEqualTo(List.of(List.of(1L, 2L), List.of("a", "b", "c"), 0.5, true));
        assertThat(plain(at(t, "trailing"))).isEqualTo(List.of(1L, 2L));
        assertThat(plain(at(t, "empty"))).isEqualTo(List.of());
        assertThat(plain(at(t, "blank"))).isEqualTo(List.of());
        assertThat(plain(at(t, "tables"))).isEqualTo(List.of(java.util.Map.of("x", 1L), java.util.Map.of("y", 2L)));
    }

    @Test
    void arrayElementsCarryTheirOwnPositions() throws TomlException {
        TomlArray a = (TomlArray) at(parse("a = [1, 'two',\n  [3]]"), "a");
        assertThat(a.position()).isEqualTo(new Position("t.toml", 1, 1));
        assertThat(a.get(0).position()).isEqualTo(new Position("t.toml", 1, 6));
        assertThat(a.get(1).position()).isEqualTo(new Position("t.toml", 1, 9));
        assertThat(a.get(2).position()).isEqualTo(new Position("t.toml", 2, 3));
        assertThat(((TomlArray) a.get(2)).get(0).position()).isEqualTo(new Position("t.toml", 2, 4));
    }

    @Test
    void tablePositions() throws TomlException {
        TomlTable t = parse("server.port = 8080\n\n[a.b]\nx = 1\n  [a]\ny = {z = 1}\n");
        assertThat(at(t, "server").position()).isEqualTo(new Position("t.toml", 1, 1));
        assertThat(at(t, "server.port").position()).isEqualTo(new Position("t.toml", 1, 8));
        assertThat(at(t, "a.b").position()).isEqualTo(new Position("t.toml", 3, 1));
        assertThat(at(t, "a").position()).isEqualTo(new Position("t.toml", 5, 3));
        assertThat(at(t, "a.y").position()).isEqualTo(new Position("t.toml", 6, 1));
        assertThat(at(t, "a.y.z").position()).isEqualTo(new Position("t.toml", 6, 6));
    }

    @Test
    void implicitTableKeepsTheHeaderKeyPositionUntilDefined() throws TomlException {
        TomlTable t = parse("[a.b]\n");
        assertThat(at(t, "a").position()).isEqualTo(new Position("t.toml", 1, 2));
    }

    @Test
    void columnsCountCodePoints() throws TomlException {
        TomlTable t = parse("\"\uD83D\uDE00\u00e9\" = 1\nk = 2");
        assertThat(t.get("\uD83D\uDE00\u00e9").orElseThrow().position().column()).isEqualTo(1);
        TomlException e = TomlErrorsTest.error("\"\uD83D\uDE00\u00e9\" = x");
        assertThat(e.position().column()).isEqualTo(8);
    }

    @Test
    void crlfLineEndingsAreAcceptedThroughout() throws TomlException {
        TomlTable t = parse("# comment\r\na = 1\r\n[t]\r\nb = [\r\n  2,\r\n]\r\nc = '''\r\nx\r\n'''\r\n");
        assertThat(plain(t)).isEqualTo(java.util.Map.of("a", 1L, "t", java.util.Map.of("b", List.of(2L), "c", "x\n")));
        assertThat(at(t, "t.c").position()).isEqualTo(new Position("t.toml", 7, 1));
    }

    @Test
    void byteOrderMarkAtTheStartIsSkipped() throws TomlException {
        TomlTable t = parse("\uFEFFa = 1");
        assertThat(t.get("a").orElseThrow().position()).isEqualTo(new Position("t.toml", 1, 1));
        TomlTable fromBytes = Toml.parse(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '=', '1'}, "b");
        assertThat(fromBytes.get("a").orElseThrow().position()).isEqualTo(new Position("b", 1, 1));
    }

    @Test
    void getGetPathAndKeys() throws TomlException {
        TomlTable t = parse("a = 1\n[servers.\"eu.west\"]\nhost = 'h'\n[x]\narr = [{y = 1}]\n");
        assertThat(t.keys()).containsExactly("a", "servers", "x");
        assertThat(t.get("a")).map(TomlValue::typeName).contains("integer");
        assertThat(t.get("servers.\"eu.west\"")).isEmpty();
        assertThat(t.getPath("servers.\"eu.west\".host")).map(TomlStructureTest::plain).contains("h");
        assertThat(t.getPath("servers . 'eu.west' . host")).isPresent();
        assertThat(t.getPath("servers.eu.west")).isEmpty();
        assertThat(t.getPath("a.b")).isEmpty();
        assertThat(t.getPath("x.arr.y")).isEmpty();
        assertThat(t.getPath("missing")).isEmpty();
        assertThatThrownBy(() -> t.getPath("a..b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a key after '.'");
        assertThatThrownBy(() -> t.getPath("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.getPath("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.keys().add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parseFromBytesMatchesParseFromString() throws TomlException {
        String source = "title = \"T\u00f6ml \uD83D\uDE00\"\n[owner]\nname = \"\u00c9mile\"\n";
        TomlTable fromString = parse(source);
        TomlTable fromBytes = Toml.parse(source.getBytes(java.nio.charset.StandardCharsets.UTF_8), "t.toml");
        assertThat(fromBytes).isEqualTo(fromString);
    }

    @Test
    void specExampleDocument() throws TomlException {
        String doc = """
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

                [servers]

                [servers.alpha]
                ip = "10.0.0.1"
                role = "frontend"

                [servers.beta]
                ip = "10.0.0.2"
                role = "backend"
                """;
        TomlTable t = parse(doc);
        assertThat(plain(at(t, "title"))).isEqualTo("TOML Example");
        assertThat(at(t, "owner.dob").toString()).contains("1979-05-27T07:32-08:00");
        assertThat(plain(at(t, "database.ports"))).isEqualTo(List.of(8000L, 8001L, 8002L));
        assertThat(plain(at(t, "database.data"))).isEqualTo(List.of(List.of("delta", "phi"), List.of(3.14)));
        assertThat(plain(at(t, "database.temp_targets.case"))).isEqualTo(72.0);
        assertThat(plain(at(t, "servers.beta.role"))).isEqualTo("backend");
        assertThat(at(t, "servers.alpha").position()).isEqualTo(new Position("t.toml", 17, 1));
    }
}
