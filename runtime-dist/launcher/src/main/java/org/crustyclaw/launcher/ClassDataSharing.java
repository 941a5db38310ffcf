package org.crustyclaw.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.config.internal.Schema;

/**
 * A class-data sharing archive for the daemon's JVM, made on its first run and reused after:
 * it cuts start-up by a quarter to a third here. On JDK 19+ the JVM keeps it up to date itself
 * ({@code -XX:+AutoCreateSharedArchive}); on 17 and 18 the first daemon writes it when it exits
 * and later daemons map it. The archive's name carries the Java version and a digest of the
 * jars, so an upgrade never maps a stale archive.
 */
final class ClassDataSharing {

    private static final long PROBE_SECONDS = 20;

    private ClassDataSharing() {}

    static List<String> options(Layout layout, List<String> configured) throws IOException {
        if (configured.stream().anyMatch(o -> o.contains("SharedArchiveFile") || o.contains("AOTCache")
                || o.contains("ArchiveClassesAtExit") || o.equals("-Xshare:off"))) {
            return List.of();
        }
        Path dir = layout.state().resolve("cds");
        Files.createDirectories(dir);
        int feature = Runtime.version().feature();
        Path archive = dir.resolve("daemon-jdk" + feature + "-" + digest(layout) + ".jsa");
        List<String> options = new ArrayList<>();
        if (feature >= 19) {
            options.add("-XX:+AutoCreateSharedArchive");
            options.add("-XX:SharedArchiveFile=" + archive);
        } else if (Files.isRegularFile(archive) || promoted(layout, configured, archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
        } else {
            options.add("-XX:ArchiveClassesAtExit=" + pending(archive));
        }
        options.add("-Xlog:cds=off");
        options.add("-Xlog:cds+dynamic=off");
        return options;
    }

    /**
     * JDK 17 and 18 write the archive as the daemon exits, straight to the file named: a daemon
     * killed in the middle leaves a partial archive, and a JVM that maps one can crash. So the
     * daemon writes a pending file, and the next start maps it once in a throw-away JVM with
     * its checksums verified before it becomes the archive; a bad one is deleted and made again.
     */
    private static boolean promoted(Layout layout, List<String> configured, Path archive) throws IOException {
        Path pending = pending(archive);
        if (!Files.isRegularFile(pending)) {
            return false;
        }
        List<String> probe = new ArrayList<>();
        probe.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        probe.addAll(configured);
        probe.addAll(List.of("-XX:SharedArchiveFile=" + pending, "-Xshare:on", "-XX:+VerifySharedSpaces",
                "-Xlog:disable", "-cp", layout.home().resolve("lib") + java.io.File.separator + "*", "-version"));
        boolean valid;
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            valid = p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            valid = false;
        }
        if (!valid) {
            Files.deleteIfExists(pending);
            return false;
        }
        Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static Path pending(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".pending");
    }

    /** Names, sizes and times of the jars the daemon loads. */
    private static String digest(Layout layout) throws IOException {
        return Integer.toHexString(Schema.signature(List.of(layout.home().resolve("lib"), layout.bundles())).hashCode());
    }
}
