package org.crustyclaw.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.crustyclaw.config.internal.Schema;

/**
 * Felix's bundle cache ({@code <state>/felix-cache}), kept from one daemon to the next while
 * the installation is the same. Cleaning it on every start copied the 28 MB of {@code bundle/}
 * again and unpacked the jars the Docker bundle embeds: a fifth of the start-up. What a clean
 * cache guaranteed still holds: a start that reuses it first drops every bundle the
 * installation does not list (deployed plugins come back through the deploy watcher and its
 * checks, as after a clean start) and every bundle's data area (ConfigAdmin's store: the
 * configuration comes from {@code crustyclaw.toml} alone) but SCR's, which holds only its
 * component metadata cache ({@code ds.cache.metadata}), and a bundle updated at run time makes
 * the next start clean.
 */
final class BundleCache {

    private final Path dir;
    private final Path key;
    private final String signature;

    private BundleCache(Path dir, Path key, String signature) {
        this.dir = dir;
        this.key = key;
        this.signature = signature;
    }

    static BundleCache of(Layout layout) throws IOException {
        String signature = "java " + Runtime.version() + " " + System.getProperty("java.home") + "\n"
                + Files.readString(layout.bundles().resolve("bundles.list"), StandardCharsets.UTF_8) + "\n"
                + Schema.signature(List.of(layout.home().resolve("lib"), layout.bundles()));
        return new BundleCache(layout.state().resolve("felix-cache"), layout.state().resolve("felix-cache.key"), signature);
    }

    Path dir() {
        return dir;
    }

    /** True when the cache was filled from exactly these jars by a start that got through installing them. */
    boolean reusable() {
        try {
            String text = Files.readString(key, StandardCharsets.UTF_8);
            return Files.isDirectory(dir) && text.substring(text.indexOf('\n') + 1).equals(signature);
        } catch (IOException e) {
            return false;
        }
    }

    /** Before a clean start: an install that does not finish must not be reused. */
    void forget() throws IOException {
        Files.deleteIfExists(key);
    }

    /** After a clean start installed everything. */
    void remember() throws IOException {
        StateDir.ownerOnlyFile(key);
        Files.writeString(key, System.currentTimeMillis() + "\n" + signature, StandardCharsets.UTF_8);
    }

    /** When the cache was filled: a bundle modified after that was updated at run time. */
    long rememberedAt() throws IOException {
        String text = Files.readString(key, StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text.substring(0, Math.max(0, text.indexOf('\n'))));
        } catch (NumberFormatException e) {
            throw new IOException("unreadable " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes every bundle's data area, before the framework opens the cache, but that of the
     * bundle installed from {@code keep} (SCR's: its component metadata cache, whose entries are
     * keyed by bundle id and last-modified time, so an entry for another or an updated bundle is
     * never used); null keeps none.
     */
    void clearBundleData(String keep) throws IOException {
        try (var bundles = Files.list(dir)) {
            for (Path bundle : bundles.filter(p -> p.getFileName().toString().startsWith("bundle")).toList()) {
                Path data = bundle.resolve("data");
                if (Files.isDirectory(data) && (keep == null || !keep.equals(location(bundle)))) {
                    deleteTree(data);
                }
            }
        }
    }

    /** The location Felix recorded for a bundle directory (second line of {@code bundle.info}), or null. */
    private static String location(Path bundle) {
        try {
            List<String> info = Files.readAllLines(bundle.resolve("bundle.info"), StandardCharsets.UTF_8);
            return info.size() > 1 ? info.get(1).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
