package org.crustyclaw.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * What configuration the installed bundles accept: the metatype object class definitions
 * (OSGI-INF/metatype/*.xml, written by bnd from {@code @ObjectClassDefinition}) of every
 * bundle jar, keyed by the PID they are designated for. Read from the jar files so the
 * daemon, a check before start and an offline {@code config validate} see the same schema.
 */
public record Schema(Map<String, Ocd> byPid, Set<String> handlerSections) {

    /** Manifest header naming the top-level tables a bundle's section handler owns, comma separated. */
    public static final String SECTIONS_HEADER = "CrustyClaw-ConfigSections";

    /** An object class definition designated for one PID. */
    public record Ocd(String pid, String name, String description, Map<String, Attr> attributes, String origin) {}

    /**
     * One attribute definition.
     *
     * @param type        metatype type name: String, Long, Integer, Short, Byte, Character,
     *                    Double, Float, Boolean or Password
     * @param cardinality 0 for a single value, otherwise the maximum count (negative: a list)
     * @param defaults    default values as text, empty when none
     * @param options     allowed values, empty when any
     */
    public record Attr(String id, String type, int cardinality, List<String> defaults, List<String> options,
            Optional<String> min, Optional<String> max, String description) {

        public boolean multiple() {
            return cardinality != 0;
        }

        public boolean sensitive() {
            return type.equals("Password");
        }
    }

    public Schema {
        byPid = Map.copyOf(byPid);
        handlerSections = Set.copyOf(handlerSections);
    }

    public Optional<Ocd> ocd(String pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    /** Names, sizes and modification times of the jars {@link #fromJars} would read: equal means same schema. */
    public static String signature(List<Path> dirs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                    text.append(jar).append(' ').append(Files.size(jar)).append(' ')
                            .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** Reads every {@code *.jar} in the given directories; directories that do not exist are skipped. */
    public static Schema fromJars(List<Path> dirs) throws IOException {
        Map<String, Ocd> all = new TreeMap<>();
        Set<String> sections = new TreeSet<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> jars;
            try (var files = Files.list(dir)) {
                jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            }
            for (Path jar : jars) {
                readJar(jar, all, sections);
            }
        }
        return new Schema(all, sections);
    }

    private static void readJar(Path jar, Map<String, Ocd> into, Set<String> sections) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var manifest = file.getManifest();
            String header = manifest == null ? null : manifest.getMainAttributes().getValue(SECTIONS_HEADER);
            if (header != null) {
                for (String s : header.split(",")) {
                    if (!s.isBlank()) {
                        sections.add(s.strip());
                    }
                }
            }
            List<ZipEntry> entries = new ArrayList<>();
            file.stream().filter(e -> e.getName().startsWith("OSGI-INF/metatype/") && e.getName().endsWith(".xml"))
                    .forEach(entries::add);
            for (ZipEntry entry : entries) {
                try (InputStream in = file.getInputStream(entry)) {
                    for (Ocd ocd : MetatypeReader.read(in, jar.getFileName() + "!/" + entry.getName())) {
                        into.putIfAbsent(ocd.pid(), ocd);
                    }
                }
            }
        } catch (IOException e) {
            // A jar we cannot read contributes no schema; the deploy watcher reports the jar itself.
            System.getLogger(Schema.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot read metatype of " + jar + ": " + e.getMessage());
        }
    }
}
