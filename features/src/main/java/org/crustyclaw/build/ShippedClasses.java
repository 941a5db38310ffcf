package org.crustyclaw.build;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks over the jars a distribution ships: no class in two jars of one class space (bundle/,
 * or lib/), and no class file newer than the Java release the runtime starts on. Classes under
 * {@code META-INF/versions/N/} of a multi-release jar are left out of both; jars nested in a
 * bundle (its Bundle-ClassPath) count for the release check, not for duplicates, since they are
 * private to their bundle.
 */
final class ShippedClasses {

    /** Class-file major version of Java 17. */
    static final int JAVA_17 = 61;

    private ShippedClasses() {}

    /** One line per class found in more than one of {@code jars}, naming the class and the jars. */
    static List<String> duplicates(List<Path> jars) throws IOException {
        Map<String, List<String>> owners = new TreeMap<>();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.stream().map(ZipEntry::getName).filter(ShippedClasses::isPlainClass)
                        .forEach(n -> owners.computeIfAbsent(n, k -> new ArrayList<>()).add(jar.getFileName().toString()));
            }
        }
        List<String> problems = new ArrayList<>();
        owners.forEach((name, in) -> {
            if (in.size() > 1) {
                problems.add(name.substring(0, name.length() - ".class".length()).replace('/', '.') + " is in " + String.join(" and ", in));
            }
        });
        return problems;
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
