package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The toml-test corpus (TOML 1.0.0, src/test/resources/toml-test, MIT): every valid case
 * parses to the tagged JSON of its twin, every invalid case is refused with a
 * {@link TomlException}. The same suite TOML libraries run, so keeping our own parser
 * (for a position on every key) is held to the same bar.
 */
class TomlConformanceTest {

    private static final String ROOT = "/toml-test/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCALARS = Set.of("string", "integer", "float", "bool", "datetime",
            "datetime-local", "date-local", "time-local");

    private static List<String> cases(String prefix) {
        String list = new String(bytes("files-toml-1.0.0"), StandardCharsets.UTF_8);
        return list.lines().filter(l -> l.startsWith(prefix) && l.endsWith(".toml")).toList();
    }

    private static byte[] bytes(String name) {
        try (InputStream in = TomlConformanceTest.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCorpusIsAllThere() {
        assertThat(cases("valid/")).hasSizeGreaterThan(190);
        assertThat(cases("invalid/")).hasSizeGreaterThan(450);
    }

    @TestFactory
    Stream<DynamicTest> validCasesParseToTheirJson() {
        return cases("valid/").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            TomlTable parsed = Toml.parse(bytes(name), name);
            JsonNode expected = JSON.readTree(bytes(name.replaceFirst("\\.toml$", ".json")));
            same(expected, parsed, "");
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidCasesAreRefused() {
        return cases("invalid/").stream().map(name -> DynamicTest.dynamicTest(name, () ->
                assertThatThrownBy(() -> Toml.parse(bytes(name), name)).as(name).isInstanceOf(TomlException.class)));
    }

    /** Compares a value with its tagged JSON ({@code {"type": ..., "value": ...}} for scalars). */
    private static void same(JsonNode expected, TomlValue actual, String path) {
        if (expected.isArray()) {
            assertThat(actual).as(path).isInstanceOf(TomlArray.class);
            List<TomlValue> values = ((TomlArray) actual).values();
            assertThat(values).as(path).hasSize(expected.size());
            for (int i = 0; i < values.size(); i++) {
                same(expected.get(i), values.get(i), path + "[" + i + "]");
            }
        } else if (isScalar(expected)) {
            scalar(expected.get("type").asText(), expected.get("value").asText(), actual, path);
        } else if (expected.isObject()) {
            assertThat(actual).as(path).isInstanceOf(TomlTable.class);
            Map<String, TomlValue> entries = ((TomlTable) actual).entries();
            Set<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            assertThat(new TreeSet<>(entries.keySet())).as("keys of %s", path.isEmpty() ? "the root table" : path)
                    .isEqualTo(keys);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                same(e.getValue(), entries.get(e.getKey()), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            }
        } else {
            fail("unexpected JSON at %s: %s", path, expected);
        }
    }

    private static boolean isScalar(JsonNode node) {
        return node.isObject() && node.size() == 2 && node.path("type").isTextual() && node.path("value").isTextual()
                && SCALARS.contains(node.get("type").asText());
    }

    private static void scalar(String type, String value, TomlValue actual, String path) {
        switch (type) {
            case "string" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlString.class,
                    s -> assertThat(s.value()).as(path).isEqualTo(value));
            case "integer" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlInteger.class,
                    i -> assertThat(i.value()).as(path).isEqualTo(Long.parseLong(value)));
            case "float" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlFloat.class,
                    f -> assertThat(Double.compare(f.value(), expectedFloat(value))).as("%s: %s, expected %s", path,
                            f.value(), value).isZero());
            case "bool" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlBoolean.class,
                    b -> assertThat(b.value()).as(path).isEqualTo(Boolean.parseBoolean(value)));
            case "datetime" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlDateTime.class,
                    d -> assertThat(d.value()).as(path).isInstanceOfSatisfying(OffsetDateTime.class,
                            o -> assertThat(o.isEqual(OffsetDateTime.parse(iso(value)))).as("%s: %s, expected %s", path,
                                    o, value).isTrue()));
            case "datetime-local" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlDateTime.class,
                    d -> assertThat(d.value()).as(path).isEqualTo(LocalDateTime.parse(iso(value))));
            case "date-local" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlDateTime.class,
                    d -> assertThat(d.value()).as(path).isEqualTo(LocalDate.parse(value)));
            case "time-local" -> assertThat(actual).as(path).isInstanceOfSatisfying(TomlDateTime.class,
                    d -> assertThat(d.value()).as(path).isEqualTo(LocalTime.parse(value)));
            default -> fail("unknown type %s at %s", type, path);
        }
    }

    private static double expectedFloat(String value) {
        return switch (value) {
            case "nan", "+nan", "-nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    private static String iso(String value) {
        return value.replace(' ', 'T').replace('t', 'T').replace('z', 'Z');
    }
}
