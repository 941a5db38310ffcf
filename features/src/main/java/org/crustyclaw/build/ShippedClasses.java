package org.crustyclaw.build;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks over the jars a distribution ships: no class in two jars of lib/ (one class path), no
 * class of an exported package in two bundles of bundle/, and no class file newer than the Java release the runtime starts on. Classes under
 * {@code META-INF/versions/N/} of a multi-release jar are left out of both; jars nested in a
 * bundle (its Bundle-ClassPath) count for the release check, not for duplicates, since they are
 * private to their bundle.
 */
final class ShippedClasses {

    /** Class-file major version of Java 17. */
    static final int JAVA_17 = 61;

    private ShippedClasses() {}

    /** One line per class found in more than one of {@code jars} (one flat class path, as lib/), naming the class and the jars. */
    static List<String> duplicates(List<Path> jars) throws IOException {
        return duplicates(jars, false);
    }

    /**
     * Like {@link #duplicates(List)} for OSGi bundles, each its own class space: a class two bundles
     * hold is a problem when either exports its package (two providers of one API, or a split
     * package); a private copy in each bundle (bnd's {@code -conditionalpackage}) is not.
     */
    static List<String> duplicateBundleClasses(List<Path> bundles) throws IOException {
        return duplicates(bundles, true);
    }

    private static List<String> duplicates(List<Path> jars, boolean bundles) throws IOException {
        Map<String, List<String>> owners = new TreeMap<>();
        Map<String, Set<String>> exports = new HashMap<>();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                String name = jar.getFileName().toString();
                zip.stream().map(ZipEntry::getName).filter(ShippedClasses::isPlainClass)
                        .forEach(n -> owners.computeIfAbsent(n, k -> new ArrayList<>()).add(name));
                if (bundles) {
                    exports.put(name, exportedPackages(zip));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        owners.forEach((entry, in) -> {
            if (in.size() < 2) {
                return;
            }
            String className = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
            int dot = className.lastIndexOf('.');
            String pkg = dot < 0 ? "" : className.substring(0, dot);
            if (!bundles || in.stream().anyMatch(j -> exports.get(j).contains(pkg))) {
                problems.add(className + " is in " + String.join(" and ", in) + (bundles ? " (package " + pkg + " is exported)" : ""));
            }
        });
        return problems;
    }

    /** The package names of a jar's Export-Package header (quoted attribute values may hold commas). */
    static Set<String> exportedPackages(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry("META-INF/MANIFEST.MF");
        if (entry == null) {
            return Set.of();
        }
        String header;
        try (InputStream in = zip.getInputStream(entry)) {
            header = new Manifest(in).getMainAttributes().getValue("Export-Package");
        }
        Set<String> packages = new HashSet<>();
        if (header == null) {
            return packages;
        }
        boolean quoted = false;
        boolean inName = true;
        StringBuilder token = new StringBuilder();
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ';' || c == ',')) {
                String t = token.toString().strip();
                if (inName && !t.isEmpty() && !t.contains("=")) {
                    packages.add(t);
                } else {
                    inName = false;
                }
                token.setLength(0);
                if (c == ',') {
                    inName = true;
                }
                continue;
            }
            if (!quoted && c == '=') {
                inName = false;
            }
            token.append(c);
        }
        return packages;
    }

    /** One line per class file of {@code jar} (and of the jars nested in it) newer than {@code maxMajor}. */
    static List<String> newerThan(Path jar, int maxMajor) throws IOException {
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                if (isPlainClass(e.getName())) {
                    try (InputStream in = zip.getInputStream(e)) {
                        check(jar.getFileName() + "!/" + e.getName(), in, maxMajor, problems);
                    }
                } else if (e.getName().endsWith(".jar")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        nested(jar.getFileName() + "!/" + e.getName(), in.readAllBytes(), maxMajor, problems);
                    }
                }
            }
        }
        return problems;
    }

    private static void nested(String where, byte[] jar, int maxMajor, List<String> problems) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                if (isPlainClass(e.getName())) {
                    check(where + "!/" + e.getName(), in, maxMajor, problems);
                }
            }
        }
    }

    private static void check(String where, InputStream in, int maxMajor, List<String> problems) throws IOException {
        byte[] head = in.readNBytes(8);
        if (head.length < 8 || (head[0] & 0xff) != 0xca || (head[1] & 0xff) != 0xfe || (head[2] & 0xff) != 0xba
                || (head[3] & 0xff) != 0xbe) {
            problems.add(where + " is not a class file");
            return;
        }
        int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        if (major > maxMajor) {
            problems.add(where + " is class-file version " + major + " (Java " + (major - 44) + "); the runtime starts on Java "
                    + (maxMajor - 44) + " (at most version " + maxMajor + ")");
        }
    }

    static boolean isPlainClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
    }
}
