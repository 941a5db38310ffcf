package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.crustyclaw.api.sandbox.SandboxException;

/**
 * The workspace as an ext4 image on a virtio-blk disk, for VMMs without a file-sharing
 * device (Firecracker). {@link #create} makes the image from the host directory
 * ({@code mkfs.ext4 -d}); {@link #copyBack}, once the VM is off, reads it with
 * {@code debugfs rdump} (user space: the host kernel never mounts a file system the guest
 * wrote) and makes the host directory match it: new and changed files are copied in, files
 * the guest deleted are deleted. Symbolic links stay links and are never followed; setuid,
 * setgid and sticky bits are dropped; when the daemon is root the files get the workspace
 * owner's uid and gid whatever the image says.
 */
final class DiskWorkspace {

    static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String LOST_FOUND = "lost+found";

    private final Path workspace;
    private final Path image;
    private final long imageBytes;
    private final boolean hadLostFound;

    private DiskWorkspace(Path workspace, Path image, long imageBytes, boolean hadLostFound) {
        this.workspace = workspace;
        this.image = image;
        this.imageBytes = imageBytes;
        this.hadLostFound = hadLostFound;
    }

    /** Why disk workspaces cannot be made here (e2fsprogs missing), or empty. */
    static Optional<String> unavailableBecause() {
        for (String tool : List.of("mkfs.ext4", "debugfs")) {
            if (Host.findTool(tool).isEmpty()) {
                return Optional.of(tool + " not found (install the e2fsprogs package)");
            }
        }
        return Optional.empty();
    }

    /**
     * Makes {@code image}: an ext4 file system without a journal (so that a {@code sync} in the
     * guest leaves it complete for debugfs) holding the workspace, with {@code freeBytes} room.
     */
    static DiskWorkspace create(Path workspace, Path image, long freeBytes) throws SandboxException {
        if (!workspace.isAbsolute() || !Files.isDirectory(workspace, NOFOLLOW)) {
            throw new IllegalArgumentException("workspace " + workspace + " is not an existing absolute directory");
        }
        if (freeBytes < 1L << 20) {
            throw new IllegalArgumentException("free space " + freeBytes + " bytes is below the 1 MiB a workspace disk needs");
        }
        long used = usedBytes(workspace);
        // ext4 metadata needs room of its own: inode tables, bitmaps, directories
        long size = roundUp(Math.max(32L << 20, used + used / 4 + freeBytes + (8L << 20)), 1 << 20);
        try {
            Files.createDirectories(image.getParent());
            try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(size); // sparse: only what mkfs and the guest write takes space
            }
        } catch (IOException e) {
            throw new SandboxException("cannot create the workspace image " + image + ": " + e.getMessage(), e);
        }
        String owner = owner(workspace);
        Host.runTool(List.of(tool("mkfs.ext4"), "-q", "-F", "-O", "^has_journal", "-E", "root_owner=" + owner,
                "-L", "workspace", "-d", workspace.toString(), image.toString()), TOOL_TIMEOUT, Long.MAX_VALUE,
                "making the workspace disk");
        return new DiskWorkspace(workspace, image, size, Files.exists(workspace.resolve(LOST_FOUND), NOFOLLOW));
    }

    Path image() {
        return image;
    }

    Path workspace() {
        return workspace;
    }

    /**
     * Reads the image back into the workspace. Call only once the VM is off.
     *
     * @throws SandboxException when the image cannot be read or holds more than fits in it
     */
    void copyBack() throws SandboxException {
        Path dump = image.resolveSibling("workspace-back");
        Host.deleteTree(dump);
        try {
            Files.createDirectories(dump);
        } catch (IOException e) {
            throw new SandboxException("cannot create " + dump + ": " + e.getMessage(), e);
        }
        // a file cannot be larger than the disk: RLIMIT_FSIZE stops a sparse giant early
        Host.runTool(List.of(tool("debugfs"), "-R", "rdump / " + dump, image.toString()), TOOL_TIMEOUT, imageBytes,
                "reading the workspace disk back");
        try {
            sync(dump);
        } catch (IOException e) {
            throw new SandboxException("copying the workspace back from its disk failed: " + e.getMessage(), e);
        } finally {
            Host.deleteTree(dump);
        }
    }

    private void sync(Path dump) throws IOException, SandboxException {
        boolean root = Host.isRoot();
        int uid = ((Number) Files.getAttribute(workspace, "unix:uid")).intValue();
        int gid = ((Number) Files.getAttribute(workspace, "unix:gid")).intValue();
        Set<Path> kept = new HashSet<>();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(dump)) {
            entries = walk.filter(p -> !p.equals(dump)).sorted().toList();
        }
        long total = 0;
        for (Path from : entries) {
            Path rel = dump.relativize(from);
            if (!hadLostFound && rel.getName(0).toString().equals(LOST_FOUND)) {
                continue; // made by mkfs, not by the command
            }
            Path to = workspace.resolve(rel);
            kept.add(rel);
            if (Files.isSymbolicLink(from)) {
                deleteAny(to);
                Files.createSymbolicLink(to, Files.readSymbolicLink(from));
            } else if (Files.isDirectory(from, NOFOLLOW)) {
                if (!Files.isDirectory(to, NOFOLLOW)) {
                    deleteAny(to);
                    Files.createDirectory(to);
                }
                setMode(from, to);
            } else if (Files.isRegularFile(from, NOFOLLOW)) {
                total += Files.size(from);
                if (total > imageBytes) {
                    throw new SandboxException("the workspace disk reads back as more than its " + imageBytes
                            + " bytes (at " + rel + "): refusing to copy it");
                }
                if (!Files.isRegularFile(to, NOFOLLOW)) {
                    deleteAny(to);
                }
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                setMode(from, to);
            } else {
                continue; // devices, FIFOs, sockets do not come back to the host
            }
            if (root) {
                Files.setAttribute(to, "unix:uid", uid, NOFOLLOW);
                Files.setAttribute(to, "unix:gid", gid, NOFOLLOW);
            }
        }
        List<Path> gone = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(workspace)) {
            walk.filter(p -> !p.equals(workspace)).forEach(p -> {
                if (!kept.contains(workspace.relativize(p))) {
                    gone.add(p);
                }
            });
        }
        gone.sort(Comparator.reverseOrder());
        for (Path p : gone) {
            if (Files.exists(p, NOFOLLOW)) {
                deleteAny(p);
            }
        }
    }

    /** Permission bits only: {@link PosixFilePermissions} has no setuid, setgid or sticky bit. */
    private static void setMode(Path from, Path to) throws IOException {
        Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from, NOFOLLOW));
    }

    private static void deleteAny(Path p) throws IOException {
        if (Files.isDirectory(p, NOFOLLOW)) {
            Host.deleteTree(p);
            if (Files.exists(p, NOFOLLOW)) {
                throw new FileAlreadyExistsException(p.toString(), null, "could not remove the directory");
            }
        } else {
            Files.deleteIfExists(p);
        }
    }

    private static long usedBytes(Path dir) throws SandboxException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, NOFOLLOW)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new SandboxException("cannot read the workspace " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String owner(Path dir) throws SandboxException {
        try {
            return Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new SandboxException("cannot read the owner of " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String tool(String name) throws SandboxException {
        return Host.findTool(name).map(Path::toString)
                .orElseThrow(() -> new SandboxException(name + " not found (install the e2fsprogs package)"));
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
