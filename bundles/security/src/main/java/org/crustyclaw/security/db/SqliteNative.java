package org.crustyclaw.security.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc unpacks its native library into {@code java.io.tmpdir} under a fresh name every
 * time a JVM first opens a database, after running {@code uname} to pick the right one: about
 * 60 ms of each daemon start. Unpacked once instead, into {@code <state>/cache/sqlite-native/},
 * one directory per sqlite-jdbc release, OS and architecture, and named to sqlite-jdbc through
 * its {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name} properties. A library there
 * that does not load makes sqlite-jdbc unpack its own, as before.
 */
final class SqliteNative {

    private static boolean prepared;

    private SqliteNative() {}

    /** Before the first connection; does nothing when the properties are set already. */
    static synchronized void prepare(Path stateDir) {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepared = true;
        try {
            Path dir = stateDir.resolve("cache").resolve("sqlite-native").resolve(key());
            String name = System.mapLibraryName("sqlitejdbc");
            Path library = dir.resolve(name);
            if (!Files.isRegularFile(library)) {
                unpack(dir, name);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | RuntimeException e) {
            // sqlite-jdbc unpacks its own, as without this
        }
    }

    /** The sqlite-jdbc release (a release's native libraries never change), OS and architecture. */
    private static String key() {
        Bundle sqlite = FrameworkUtil.getBundle(org.sqlite.JDBC.class);
        String release = sqlite == null ? org.sqlite.JDBC.class.getPackage().getImplementationVersion()
                : sqlite.getVersion().toString();
        return (release + "-" + System.getProperty("os.name") + "-" + System.getProperty("os.arch")).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void unpack(Path dir, String name) throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("sqlite-jdbc has no " + resource);
            }
            Files.createDirectories(dir);
            Path parent = dir.getParent().getParent();
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
            Path temp = Files.createTempFile(dir, name, ".tmp");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
