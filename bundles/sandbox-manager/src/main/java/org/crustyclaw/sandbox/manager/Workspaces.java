package org.crustyclaw.sandbox.manager;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * Fresh workspaces for runs that did not bring one: an empty directory, or a copy of the
 * configured snapshot (source tree, dependency caches), owned by the sandbox user when
 * the daemon is root so that the sandbox can write it.
 */
public final class Workspaces {

    private final Path root;
    private final Optional<Path> snapshot;
    private final int uid;
    private final int gid;
    private final boolean chown;

    public Workspaces(Path root, Optional<Path> snapshot, int uid, int gid) throws IOException {
        this.root = root;
        this.snapshot = snapshot;
        this.uid = uid;
        this.gid = gid;
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        this.chown = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        if (snapshot.isPresent() && !Files.isDirectory(snapshot.get())) {
            throw new IllegalArgumentException("workspace snapshot is not a directory: " + snapshot.get());
        }
    }

    public Path create() throws IOException {
        Path dir = Files.createDirectory(root.resolve(UUID.randomUUID().toString()));
        if (snapshot.isPresent()) {
            Path from = snapshot.get();
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Path to = dir.resolve(from.relativize(d).toString());
                    if (!to.equals(dir)) {
                        Files.copy(d, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    own(to);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Path to = dir.resolve(from.relativize(f).toString());
                    Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    own(to);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        own(dir);
        return dir;
    }

    public void delete(Path dir) {
        if (!dir.startsWith(root)) {
            throw new IllegalArgumentException("not a managed workspace: " + dir);
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover directory under the workspace root is harmless
        }
    }

    private void own(Path p) throws IOException {
        if (chown) {
            Files.setAttribute(p, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
    }
}
