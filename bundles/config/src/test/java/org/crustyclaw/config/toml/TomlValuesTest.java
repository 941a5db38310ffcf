package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value records, positions and exceptions as plain Java objects. */
class TomlValuesTest {

    private static final Position P = new Position("a.toml", 1, 1);
    private static final Position Q = new Position("b.toml", 9, 9);

    @Test
    void positionFormatsAsFileLineColumn() {
        assertThat(new Position("conf/agent.toml", 12, 7)).hasToString("conf/agent.toml:12:7");
        assertThat(new Position("x", 3, 4).lineColumn()).isEqualTo("3:4");
        assertThatThrownBy(() -> new Position("x", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Position("x", 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Position(null, 1, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void exceptionCarriesPositionAndReason() {
        TomlException e = new TomlException(new Position("f", 2, 3), "expected x, found y");
        assertThat(e.getMessage()).isEqualTo("f:2:3: expected x, found y");
        assertThat(e.reason()).isEqualTo("expected x, found y");
        assertThat(e.position()).isEqualTo(new Position("f", 2, 3));
    }

    @Test
    void recordsRejectNulls() {
        assertThatThrownBy(() -> new TomlString(null, P)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TomlString("x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TomlInteger(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TomlFloat(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TomlBoolean(true, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TomlDateTime(null, P)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TomlArray(Arrays.asList(new TomlInteger(1, P), null), P))
                .isInstanceOf(NullPointerException.class);
        Map<String, TomlValue> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> new TomlTable(withNull, P)).isInstanceOf(NullPointerException.class);
        Map<String, TomlValue> nullKey = new HashMap<>();
        nullKey.put(null, new TomlInteger(1, P));
        assertThatThrownBy(() -> new TomlTable(nullKey, P)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void recordsRejectWhatTomlCannotRepresent() {
        assertThatThrownBy(() -> new TomlString("a\uD800", P)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TomlTable(Map.of("\uDC00", new TomlInteger(1, P)), P))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TomlDateTime(Instant.EPOCH, P)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TomlDateTime(ZonedDateTime.now(), P)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TomlDateTime(LocalDate.of(10_000, 1, 1), P))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TomlDateTime(LocalDate.of(-1, 1, 1), P))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TomlDateTime(
                OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(1, 0, 30)), P))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TomlString("\uD83D\uDE00", P).value()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void collectionsAreCopiedAndUnmodifiable() {
        List<TomlValue> list = new ArrayList<>(List.of(new TomlInteger(1, P)));
        TomlArray array = new TomlArray(list, P);
        list.add(new TomlInteger(2, P));
        assertThat(array.size()).isEqualTo(1);
        assertThatThrownBy(() -> array.values().add(new TomlInteger(3, P)))
                .isInstanceOf(UnsupportedOperationException.class);

        Map<String, TomlValue> map = new LinkedHashMap<>();
        map.put("z", new TomlInteger(1, P));
        map.put("a", new TomlInteger(2, P));
        TomlTable table = new TomlTable(map, P);
        map.put("b", new TomlInteger(3, P));
        assertThat(table.keys()).containsExactly("z", "a");
        assertThatThrownBy(() -> table.entries().put("c", new TomlInteger(1, P)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> table.entries().remove("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parsedTablesAreUnmodifiable() throws TomlException {
        TomlTable t = Toml.parse("a = [1]\n[b]\nc = 1", "t");
        assertThatThrownBy(() -> t.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((TomlArray) t.get("a").orElseThrow()).values().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((TomlTable) t.get("b").orElseThrow()).entries().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sameValueIgnoresPositionsButEqualsDoesNot() {
        assertThat(new TomlInteger(1, P)).isNotEqualTo(new TomlInteger(1, Q));
        assertThat(new TomlInteger(1, P)).isEqualTo(new TomlInteger(1, P));
        assertThat(new TomlInteger(1, P).sameValue(new TomlInteger(1, Q))).isTrue();
        assertThat(new TomlInteger(1, P).sameValue(new TomlInteger(2, P))).isFalse();
        assertThat(new TomlInteger(1, P).sameValue(new TomlFloat(1.0, P))).isFalse();
        assertThat(new TomlInteger(1, P).sameValue(null)).isFalse();
        assertThat(new TomlString("a", P).sameValue(new TomlString("a", Q))).isTrue();
        assertThat(new TomlBoolean(true, P).sameValue(new TomlBoolean(false, P))).isFalse();
        assertThat(new TomlDateTime(LocalDate.of(2000, 1, 1), P)
                .sameValue(new TomlDateTime(LocalDate.of(2000, 1, 1), Q))).isTrue();
    }

    @Test
    void sameValueForFloatsDistinguishesSignedZeroAndMatchesNan() {
        assertThat(new TomlFloat(Double.NaN, P).sameValue(new TomlFloat(Double.NaN, Q))).isTrue();
        assertThat(new TomlFloat(0.0, P).sameValue(new TomlFloat(-0.0, P))).isFalse();
        assertThat(new TomlFloat(1.5, P).sameValue(new TomlFloat(1.5, Q))).isTrue();
    }

    @Test
    void sameValueForContainers() {
        TomlTable ab = new TomlTable(orderedMap("a", new TomlInteger(1, P), "b", new TomlString("x", P)), P);
        TomlTable ba = new TomlTable(orderedMap("b", new TomlString("x", Q), "a", new TomlInteger(1, Q)), Q);
        assertThat(ab.sameValue(ba)).as("key order is ignored").isTrue();
        assertThat(ab.sameValue(TomlTable.empty(P))).isFalse();
        assertThat(ab.sameValue(new TomlTable(orderedMap("a", new TomlInteger(1, P), "c", new TomlString("x", P)), P)))
                .isFalse();
        TomlArray a12 = new TomlArray(List.of(new TomlInteger(1, P), ab), P);
        assertThat(a12.sameValue(new TomlArray(List.of(new TomlInteger(1, Q), ba), Q))).isTrue();
        assertThat(a12.sameValue(new TomlArray(List.of(ba, new TomlInteger(1, Q)), Q))).as("order matters").isFalse();
        assertThat(a12.sameValue(new TomlArray(List.of(new TomlInteger(1, Q)), Q))).isFalse();
        assertThat(a12.sameValue(ab)).isFalse();
    }

    @Test
    void typeNamesAreStable() {
        assertThat(List.of(new TomlString("", P), new TomlInteger(0, P), new TomlFloat(0, P), new TomlBoolean(true, P),
                new TomlDateTime(LocalDate.EPOCH, P), new TomlArray(List.of(), P), TomlTable.empty(P)))
                .extracting(TomlValue::typeName)
                .containsExactly("string", "integer", "float", "boolean", "datetime", "array", "table");
    }

    @Test
    void parseRejectsNullArguments() {
        assertThatThrownBy(() -> Toml.parse((String) null, "f")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Toml.parse("a = 1", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Toml.parse((byte[]) null, "f")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Toml.write(null)).isInstanceOf(NullPointerException.class);
    }

    private static Map<String, TomlValue> orderedMap(String k1, TomlValue v1, String k2, TomlValue v2) {
        Map<String, TomlValue> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
