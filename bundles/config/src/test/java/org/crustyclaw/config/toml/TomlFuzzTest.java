package org.crustyclaw.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid documents at random (fixed seeds) and checks that the parser only ever returns
 * a table or throws {@link TomlException}, and that whatever it accepts survives a round trip.
 */
class TomlFuzzTest {

    private static final List<String> SEEDS = List.of(
            "title = \"TOML Example\"\n[owner]\nname = \"Tom\"\ndob = 1979-05-27T07:32:00-08:00\n",
            "[database]\nenabled = true\nports = [ 8000, 8001, 8002 ]\ndata = [ [\"delta\", \"phi\"], [3.14] ]\n"
                    + "temp_targets = { cpu = 79.5, case = 72.0 }\n",
            "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"x\"\n",
            "a.b.c = 1\na.d = 'x'\n\"q k\" = { x = [1, {y = 2}], z.w = 0x1F }\n",
            "s1 = \"\"\"\nRoses \\\n  are red\"\"\"\ns2 = '''\nraw \\n '' text'''\ns3 = \"\\u00e9\\U0001F600\\t\"\n",
            "i = [+99, -17, 0, 1_000, 0o755, 0b1101, 0xdead_beef]\nf = [1.5, -0.01, 5e+22, 6.626e-34, inf, -nan]\n",
            "d = [1979-05-27T07:32:00Z, 1979-05-27 00:32:00.999999, 1979-05-27, 07:32:00]\n",
            "# comment\r\n[a]\r\nb = [\r\n  1, # c\r\n  2,\r\n]\r\n[a.c]\r\nd = true\r\n",
            "x = [[[[[1]]]], {a = {b = {c = []}}}]\n[y.z]\n[[y.w]]\n");

    private static final String ALPHABET =
            "[]{}=\"'.,#\n\r\t \\_-+:0123456789abcefinrtuxzTZEe\u00e9\u0000\u007f\uFEFF\uD83D\uDE00";

    @Test
    void mutatedDocumentsOnlyEverFailWithTomlException() {
        Random random = new Random(20240601L);
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            String doc = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            accepted += check(doc, () -> Toml.parse(doc, "fuzz.toml"));
        }
        assertThat(accepted).as("some mutations stay valid").isGreaterThan(100);
    }

    @Test
    void mutatedBytesOnlyEverFailWithTomlException() {
        Random random = new Random(7L);
        for (int i = 0; i < 3_000; i++) {
            byte[] bytes = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random).getBytes(StandardCharsets.UTF_8);
            for (int k = random.nextInt(3); k > 0 && bytes.length > 0; k--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            check(new String(bytes, StandardCharsets.ISO_8859_1), () -> Toml.parse(bytes, "fuzz.toml"));
        }
    }

    @Test
    void randomNoiseOnlyEverFailsWithTomlException() {
        Random random = new Random(99L);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(80); n > 0; n--) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String doc = sb.toString();
            check(doc, () -> Toml.parse(doc, "noise.toml"));
        }
    }

    private interface Parse {
        TomlTable run() throws TomlException;
    }

    /** Parses; returns 1 if accepted, 0 if rejected with a TomlException; fails on anything else. */
    private static int check(String doc, Parse parse) {
        TomlTable table;
        try {
            table = parse.run();
        } catch (TomlException e) {
            assertThat(e.reason()).as("input %s", doc).doesNotContain("internal error");
            assertThat(e.getMessage()).startsWith(e.position().toString());
            return 0;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("unexpected " + e + " for input: " + doc, e);
        }
        try {
            String written = Toml.write(table);
            assertThat(Toml.parse(written, "rt").sameValue(table)).as("round trip of %s", doc).isTrue();
        } catch (TomlException e) {
            fail("written form of " + doc + " does not parse: " + e.getMessage());
        }
        return 1;
    }

    private static String mutate(String seed, Random random) {
        StringBuilder sb = new StringBuilder(seed);
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
            int op = random.nextInt(4);
            int at = random.nextInt(sb.length() + 1);
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            if (op == 0 && at < sb.length()) {
                sb.deleteCharAt(at);
            } else if (op == 1) {
                sb.insert(at, c);
            } else if (op == 2 && at < sb.length()) {
                sb.setCharAt(at, c);
            } else if (at < sb.length()) {
                int len = Math.min(1 + random.nextInt(10), sb.length() - at);
                sb.insert(at, sb.substring(at, at + len));
            }
        }
        return sb.toString();
    }
}
