package org.crustyclaw.sandbox.manager;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.crustyclaw.api.sandbox.WorkspaceStatus;

/**
 * Fresh workspaces for runs that did not bring one: an empty directory, or a copy of the
 * configured snapshot (source tree, dependency caches), owned by the sandbox user when
 * the daemon is root so that the sandbox can write it.
 *
 * <p>When the daemon is root, each fresh workspace is its own ext4 filesystem, an image of
 * the run's disk size under {@code <root>/.images/} loop-mounted (nosuid, nodev) on the
 * workspace directory: the disk limit then holds for every backend, whoever writes (a gVisor
 * gofer or QEMU's 9p server included), which per-user or project quotas would not. Finished
 * workspaces stay readable until more than {@code kept} newer ones exist; {@link #close}
 * unmounts them and the next start mounts the images again (on a thread of its own, off the
 * start-up path), so no result is lost to a daemon restart.
 *
 * <p>One process at a time owns a workspace root (an fcntl lock on {@code <root>/.lock}, which
 * names the owner's pid). A process that finds the root taken does not touch the owner's
 * workspaces: it tries the lock again at every {@link #create} and {@link #status} and claims
 * the root (recovering what was left in it) as soon as the owner has let go, without a restart.
 */
public final class Workspaces implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Workspaces.class.getName());
    private static final long TOOL_SECONDS = 60;

    private final Path root;
    private final Path images;
    private final Optional<Path> snapshot;
    private final int uid;
    private final int gid;
    private final int kept;
    private final boolean chown;
    private final Optional<String> quotaUnavailable;
    private final Path mkfs;
    private final Path mountTool;
    private final Path umount;
    private final Deque<Path> finished = new ArrayDeque<>();
    private final FileChannel lockFile;
    /** Set once, when this process claims the root; guarded by {@code this}. */
    private FileLock lock;
    private Thread recovery;
    /** Whether a claim failed before (the first one is made in the constructor); guarded by {@code this}. */
    private boolean claimedLate;
    private final Runnable onClaimed;

    /**
     * @param quota whether to give each fresh workspace its own filesystem of the run's disk size
     * @param kept  how many finished workspaces stay before the oldest is deleted
     */
    public Workspaces(Path root, Optional<Path> snapshot, int uid, int gid, boolean quota, int kept)
            throws IOException {
        this(root, snapshot, uid, gid, quota, kept, () -> {});
    }

    /** @param onClaimed runs when the root is claimed after it was found in use (not when claimed at once) */
    public Workspaces(Path root, Optional<Path> snapshot, int uid, int gid, boolean quota, int kept,
            Runnable onClaimed) throws IOException {
        if (kept < 0) {
            throw new IllegalArgumentException("workspaces kept must be >= 0: " + kept);
        }
        if (snapshot.isPresent() && !Files.isDirectory(snapshot.get())) {
            throw new IllegalArgumentException("workspace snapshot is not a directory: " + snapshot.get());
        }
        this.root = root;
        this.images = root.resolve(".images");
        this.snapshot = snapshot;
        this.uid = uid;
        this.gid = gid;
        this.kept = kept;
        Files.createDirectories(root);
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (Files.isSymbolicLink(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("workspace root " + root + " is a symbolic link or not a directory; expected a"
                    + " directory of this daemon's user");
        }
        int owner = (Integer) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != me) {
            // under a shared temporary directory another user could have made it first
            throw new IOException("workspace root " + root + " belongs to uid " + owner + ", not to this daemon's uid "
                    + me + "; refusing to make workspaces in it (set [sandbox.manager] workspace_root)");
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        this.chown = me == 0;
        this.mkfs = locate("mkfs.ext4");
        this.mountTool = locate("mount");
        this.umount = locate("umount");
        this.quotaUnavailable = !quota ? Optional.of("workspace_quota is off")
                : !chown ? Optional.of("the daemon is not root, and loop mounts need root")
                : Stream.of(mkfs, mountTool, umount).filter(t -> !t.isAbsolute()).findFirst()
                        .map(t -> t + " is not installed (Debian packages e2fsprogs and mount)");
        this.onClaimed = onClaimed;
        this.lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (!claim()) {
            LOG.warning(inUse());
        }
    }

    /**
     * Takes the root's lock if nobody holds it, then recovers what an earlier owner left.
     *
     * @return whether this process owns the root now
     */
    private synchronized boolean claim() throws IOException {
        if (lock != null) {
            return true;
        }
        if (!lockFile.isOpen()) {
            return false;
        }
        FileLock held;
        try {
            held = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null; // another Workspaces in this JVM owns it
        }
        if (held == null) {
            claimedLate = true;
            return false;
        }
        lock = held;
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        lockFile.truncate(0);
        lockFile.write(ByteBuffer.wrap(pid), 0);
        // mounting what an earlier daemon left takes a few ms per image: not on the start-up path
        List<Path> leftovers = leftovers();
        recovery = new Thread(() -> recover(leftovers), "crustyclaw-workspace-recovery");
        recovery.setDaemon(true);
        recovery.start();
        if (claimedLate) {
            LOG.info("workspace root " + root + " was freed and is claimed by this process");
            onClaimed.run();
        }
        return true;
    }

    private String inUse() {
        return "workspace root " + root + " is in use by another CrustyClaw process" + owner()
                + "; runs without --workspace fail until it lets go (this one then claims it), or give this one"
                + " its own [sandbox.manager] workspace_root";
    }

    /** The owner's pid as it wrote it in the lock file, when it did. */
    private String owner() {
        try {
            String pid = Files.readString(root.resolve(".lock"), StandardCharsets.US_ASCII).strip();
            return pid.matches("[0-9]{1,10}") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Where workspaces are made and, while another process owns that root, why none can be made. */
    public WorkspaceStatus status() {
        try {
            return new WorkspaceStatus(root, claim() ? Optional.empty() : Optional.of(inUse()));
        } catch (IOException e) {
            return new WorkspaceStatus(root, Optional.of("cannot lock workspace root " + root + ": " + e.getMessage()));
        }
    }

    /** Waits until the workspaces an earlier daemon left are mounted again. */
    void awaitRecovery() throws InterruptedException {
        Thread running;
        synchronized (this) {
            running = recovery;
        }
        if (running != null) {
            running.join();
        }
    }

    /** Why fresh workspaces are not size-limited filesystems; empty when they are. */
    public Optional<String> quotaUnavailable() {
        return quotaUnavailable;
    }

    /** A new workspace; its own filesystem of {@code diskBytes} when quotas are enforced. */
    public Path create(long diskBytes) throws IOException {
        if (!claim()) {
            throw new IOException(inUse());
        }
        String name = UUID.randomUUID().toString();
        Path dir = Files.createDirectory(root.resolve(name));
        try {
            if (quotaUnavailable.isEmpty()) {
                Files.createDirectories(images);
                Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("rwx------"));
                Path image = image(dir);
                try (RandomAccessFile file = new RandomAccessFile(Files.createFile(image).toFile(), "rw")) {
                    file.setLength(diskBytes); // sparse: blocks are taken as the sandbox writes
                }
                tool(List.of(mkfs.toString(), "-q", "-F", "-m", "0", "-E", "root_owner=" + uid + ":" + gid
                        + ",lazy_itable_init=1,lazy_journal_init=1", image.toString()));
                mount(image, dir);
                Files.deleteIfExists(dir.resolve("lost+found"));
            }
            copySnapshot(dir);
            own(dir);
            return dir;
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** A run in this workspace ended: it stays for reading until {@code kept} newer ones exist. */
    public void finished(Path dir) {
        synchronized (this) {
            if (lock == null) {
                return;
            }
        }
        synchronized (finished) {
            finished.addLast(dir);
        }
        trim();
    }

    /** Deletes the oldest finished workspaces beyond {@code kept}. */
    private void trim() {
        List<Path> expired = new ArrayList<>();
        synchronized (finished) {
            while (finished.size() > kept) {
                expired.add(finished.removeFirst());
            }
        }
        expired.forEach(this::delete);
    }

    /** Unmounts and removes a managed workspace and its image. */
    public void delete(Path dir) {
        if (!dir.getParent().equals(root)) {
            throw new IllegalArgumentException("not a managed workspace: " + dir);
        }
        try {
            if (isMountPoint(dir)) {
                tool(List.of(umount.toString(), dir.toString()));
            }
            Files.deleteIfExists(image(dir));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "workspace " + dir + " stays mounted: " + e.getMessage());
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover directory under the workspace root is harmless
        }
    }

    /** Unmounts every workspace filesystem; their images stay for the next start. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (lock == null) {
                closeQuietly(lockFile); // no later claim: claim() sees the channel closed
                return;
            }
            running = recovery;
        }
        try {
            running.join(TimeUnit.SECONDS.toMillis(TOOL_SECONDS)); // never unmount under a mount in flight
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                if (isMountPoint(dir)) {
                    try {
                        tool(List.of(umount.toString(), dir.toString()));
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "workspace " + dir + " stays mounted: " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list workspaces under " + root + ": " + e.getMessage());
        }
        closeQuietly(lockFile); // releases the lock
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** The workspaces an earlier daemon left, oldest first; listed before any new one exists. */
    private List<Path> leftovers() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Workspaces::modified)).toList();
        }
    }

    /** Mounts the images of {@code leftovers} again and queues them ahead of any workspace finished since. */
    private void recover(List<Path> leftovers) {
        for (Path dir : leftovers) {
            Path image = image(dir);
            try {
                if (Files.exists(image) && !isMountPoint(dir)) {
                    if (quotaUnavailable.isPresent()) {
                        LOG.warning("workspace " + dir + " has an image that cannot be mounted: "
                                + quotaUnavailable.get());
                        continue;
                    }
                    mount(image, dir);
                }
            } catch (IOException e) {
                LOG.warning("workspace " + dir + " could not be mounted again (it is deleted in its turn): "
                        + e.getMessage());
            }
        }
        synchronized (finished) {
            for (int i = leftovers.size() - 1; i >= 0; i--) {
                finished.addFirst(leftovers.get(i));
            }
        }
        trim();
    }

    private static FileTime modified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private Path image(Path dir) {
        return images.resolve(dir.getFileName() + ".img");
    }

    private void mount(Path image, Path dir) throws IOException {
        tool(List.of(mountTool.toString(), "-t", "ext4", "-o", "loop,nosuid,nodev", image.toString(), dir.toString()));
    }

    private boolean isMountPoint(Path dir) throws IOException {
        return !Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(root, "unix:dev"));
    }

    private void copySnapshot(Path dir) throws IOException {
        if (snapshot.isEmpty()) {
            return;
        }
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
                Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                own(to);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void own(Path p) throws IOException {
        if (chown) {
            Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The tool's absolute path from PATH or the sbin directories; the bare name when it is nowhere. */
    private static Path locate(String name) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                        Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"))
                .filter(d -> d.startsWith("/")).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst()
                .orElse(Path.of(name));
    }

    /** Runs one host tool to its end (or the time limit); its output becomes the error when it fails. */
    private static void tool(List<String> argv) throws IOException {
        Path log = Files.createTempFile("crustyclaw-workspace-tool", ".log");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(TOOL_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", argv) + " did not finish within " + TOOL_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(argv.get(0) + " interrupted", e);
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
