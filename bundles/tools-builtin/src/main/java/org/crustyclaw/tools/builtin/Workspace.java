package org.crustyclaw.tools.builtin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Files of one workspace, confined at open time, openat-style: every path is walked from the
 * workspace's directory one component at a time through {@link SecureDirectoryStream}
 * ({@code openat} with {@code O_NOFOLLOW}), so a symbolic link swapped in after a check fails
 * the open instead of leading out. A symbolic link met on the way is resolved by hand and the
 * walk starts again from the root; one whose target is outside the workspace is refused. A
 * {@code ..} component is refused outright, an absolute path only when it lies inside.
 */
final class Workspace {

    private static final int MAX_LINK_HOPS = 40;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Path given;
    private final Consumer<String> beforeOpen;

    private Workspace(Path given, Path root, Consumer<String> beforeOpen) {
        this.given = given;
        this.root = root;
        this.beforeOpen = beforeOpen;
    }

    static Workspace of(Path dir) throws Refused {
        return of(dir, p -> {});
    }

    /** {@code beforeOpen} runs after a component was checked and before it is opened: tests race it. */
    static Workspace of(Path dir, Consumer<String> beforeOpen) throws Refused {
        try {
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new Refused("workspace " + dir + " is not a directory");
            }
            return new Workspace(dir, real, beforeOpen);
        } catch (IOException e) {
            throw new Refused("workspace " + dir + " cannot be opened: " + e.getMessage());
        }
    }

    Path root() {
        return root;
    }

    /**
     * The path's components below the root; empty for the root itself.
     *
     * @throws Refused for {@code ..}, an absolute path outside, a NUL
     */
    List<String> components(String path) throws Refused {
        String p = path.strip();
        if (p.indexOf('\0') >= 0) {
            throw new Refused("path contains a NUL character");
        }
        if (p.startsWith("/")) {
            Path abs = Path.of(p).normalize();
            Path base = abs.startsWith(root) ? root : abs.startsWith(given) ? given : null;
            if (base == null || p.contains("/../") || p.endsWith("/..")) {
                throw new Refused("path '" + Json.clip(path) + "' is outside the workspace " + given
                        + "; give a path relative to the workspace");
            }
            p = base.relativize(abs).toString();
        }
        List<String> out = new ArrayList<>();
        for (String c : p.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new Refused("path '" + Json.clip(path) + "' contains '..'; give a path inside the workspace");
            }
            out.add(c);
        }
        return out;
    }

    static String join(List<String> components) {
        return components.isEmpty() ? "." : String.join("/", components);
    }

    /** An open directory and one name in it, the name not yet opened. Closing closes the directory. */
    record Entry(SecureDirectoryStream<Path> dir, String name, List<String> path) implements AutoCloseable {
        String display() {
            return join(path);
        }

        Optional<BasicFileAttributes> attributes() throws IOException {
            try {
                return Optional.of(dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                        .readAttributes());
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        @Override
        public void close() {
            try {
                dir.close();
            } catch (IOException e) {
                // a directory stream that fails to close holds nothing we need
            }
        }
    }

    /**
     * Walks to the parent of {@code path}'s last component, following symbolic links that stay
     * inside; with {@code followLast} the last component is resolved too when it is a link.
     */
    Entry locate(String path, boolean followLast) throws Refused {
        List<String> comps = components(path);
        if (comps.isEmpty()) {
            throw new Refused("path '" + Json.clip(path) + "' is the workspace itself; name a file in it");
        }
        int hops = 0;
        restart:
        while (true) {
            SecureDirectoryStream<Path> cur = openRoot();
            List<String> done = new ArrayList<>();
            try {
                for (int i = 0; i < comps.size(); i++) {
                    String c = comps.get(i);
                    boolean last = i == comps.size() - 1;
                    BasicFileAttributes a = attributesOrNull(cur, c);
                    if (a != null && a.isSymbolicLink() && (!last || followLast)) {
                        if (++hops > MAX_LINK_HOPS) {
                            throw new Refused("path '" + Json.clip(path) + "' has more than " + MAX_LINK_HOPS
                                    + " symbolic links");
                        }
                        List<String> next = new ArrayList<>(linkTarget(done, c, path));
                        next.addAll(comps.subList(i + 1, comps.size()));
                        if (next.isEmpty()) {
                            throw new Refused("path '" + Json.clip(path) + "' leads to the workspace itself");
                        }
                        comps = next;
                        close(cur);
                        continue restart;
                    }
                    List<String> here = new ArrayList<>(done);
                    here.add(c);
                    if (last) {
                        Entry e = new Entry(cur, c, List.copyOf(here));
                        cur = null;
                        return e;
                    }
                    if (a == null) {
                        throw new Refused("directory '" + join(here) + "' does not exist");
                    }
                    if (!a.isDirectory()) {
                        throw new Refused("'" + join(here) + "' is not a directory");
                    }
                    cur = openDir(cur, c, here);
                    done = here;
                }
                throw new IllegalStateException("unreachable");
            } finally {
                if (cur != null) {
                    close(cur);
                }
            }
        }
    }

    /** The directory at {@code path} (the root for {@code "."}), links inside followed. */
    SecureDirectoryStream<Path> directory(String path) throws Refused {
        if (components(path).isEmpty()) {
            return openRoot();
        }
        try (Entry e = locate(path, true)) {
            BasicFileAttributes a = attributesOrNull(e.dir(), e.name());
            if (a == null) {
                throw new Refused("directory '" + e.display() + "' does not exist");
            }
            if (!a.isDirectory()) {
                throw new Refused("'" + e.display() + "' is not a directory");
            }
            return openDir(e.dir(), e.name(), e.path());
        }
    }

    /** Reads a regular file; at most {@code maxBytes}, the rest is counted. */
    Read read(String path, long maxBytes) throws Refused {
        try (Entry e = locate(path, true)) {
            return read(e, maxBytes);
        }
    }

    Read read(Entry e, long maxBytes) throws Refused {
        return read(e.dir(), e.name(), e.display(), maxBytes);
    }

    /** Reads {@code name} in an open directory, which stays open. */
    Read read(SecureDirectoryStream<Path> dir, String name, String display, long maxBytes) throws Refused {
        BasicFileAttributes a = attributesOrNull(dir, name);
        if (a == null) {
            throw new Refused("file '" + display + "' does not exist");
        }
        if (!a.isRegularFile()) {
            throw new Refused("'" + display + "' is not a regular file");
        }
        beforeOpen.accept(display);
        try (SeekableByteChannel ch = dir.newByteChannel(Path.of(name),
                Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            long size = ch.size();
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, maxBytes));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (out.size() < maxBytes) {
                buf.clear().limit((int) Math.min(buf.capacity(), maxBytes - out.size()));
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf.array(), 0, n);
            }
            return new Read(display, out.toByteArray(), Math.max(size, out.size()));
        } catch (IOException x) {
            throw openFailed(display, x);
        }
    }

    record Read(String path, byte[] bytes, long size) {
        boolean complete() {
            return bytes.length >= size;
        }

        boolean binary() {
            for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
                if (bytes[i] == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Replaces or creates a file atomically: a temporary file in the same directory, then a
     * rename over the name (a link at the name is replaced, never followed). The parent must
     * exist. New files belong to the workspace's owner, so the sandbox can change them.
     *
     * @return true when the file existed before
     */
    boolean write(String path, byte[] content) throws Refused {
        try (Entry e = locate(path, false)) {
            return write(e, content);
        }
    }

    boolean write(Entry e, byte[] content) throws Refused {
        BasicFileAttributes before = attributesOrNull(e.dir(), e.name());
        if (before != null && before.isDirectory()) {
            throw new Refused("'" + e.display() + "' is a directory");
        }
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-r--r--");
        if (before != null && before.isRegularFile()) {
            try {
                mode = e.dir().getFileAttributeView(Path.of(e.name()), PosixFileAttributeView.class, NOFOLLOW)
                        .readAttributes().permissions();
            } catch (IOException x) {
                throw openFailed(e.display(), x);
            }
        }
        Path tmp = Path.of(".crustyclaw-" + HexFormat.of().formatHex(RANDOM.generateSeed(6)) + ".tmp");
        Set<OpenOption> create = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, NOFOLLOW);
        try {
            try (SeekableByteChannel ch = e.dir().newByteChannel(tmp, create,
                    PosixFilePermissions.asFileAttribute(mode))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (ch instanceof java.nio.channels.FileChannel fc) {
                    fc.force(true);
                }
            }
            giveToOwner(e.dir(), tmp);
            e.dir().getFileAttributeView(tmp, PosixFileAttributeView.class, NOFOLLOW).setPermissions(mode);
            e.dir().move(tmp, e.dir(), Path.of(e.name()));
            return before != null;
        } catch (FileAlreadyExistsException x) {
            throw new Refused("could not write '" + e.display() + "': temporary name taken, try again");
        } catch (IOException x) {
            try {
                e.dir().deleteFile(tmp);
            } catch (IOException ignored) {
                // it was never created
            }
            throw openFailed(e.display(), x);
        }
    }

    /** Removes a file (not a directory); a link is removed itself. */
    void delete(Entry e) throws Refused {
        try {
            e.dir().deleteFile(Path.of(e.name()));
        } catch (IOException x) {
            throw openFailed(e.display(), x);
        }
    }

    private void giveToOwner(SecureDirectoryStream<Path> dir, Path file) throws IOException {
        PosixFileAttributes rootAttrs = Files.readAttributes(root, PosixFileAttributes.class, NOFOLLOW);
        UserPrincipal owner = rootAttrs.owner();
        GroupPrincipal group = rootAttrs.group();
        PosixFileAttributeView view = dir.getFileAttributeView(file, PosixFileAttributeView.class, NOFOLLOW);
        PosixFileAttributes now = view.readAttributes();
        if (!now.owner().equals(owner) || !now.group().equals(group)) {
            try {
                view.setOwner(owner);
                view.setGroup(group);
            } catch (FileSystemException notPermitted) {
                // not root: the file already belongs to the daemon's user, who owns the workspace
            }
        }
    }

    /** The target of the link {@code name} in directory {@code done}, as components below the root. */
    private List<String> linkTarget(List<String> done, String name, String path) throws Refused {
        Path link = root.resolve(join(done)).resolve(name);
        Path target;
        try {
            target = Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw openFailed(join(done) + "/" + name, e);
        }
        Path resolved = target.isAbsolute() ? target.normalize() : link.getParent().resolve(target).normalize();
        if (!resolved.startsWith(root)) {
            throw new Refused("path '" + Json.clip(path) + "' goes through the symbolic link '"
                    + (done.isEmpty() ? name : join(done) + "/" + name) + "' which leads outside the workspace (to "
                    + Json.clip(target.toString()) + ")");
        }
        List<String> out = new ArrayList<>();
        for (Path c : root.relativize(resolved)) {
            if (!c.toString().isEmpty()) {
                out.add(c.toString());
            }
        }
        return out;
    }

    private SecureDirectoryStream<Path> openRoot() throws Refused {
        try {
            DirectoryStream<Path> ds = Files.newDirectoryStream(root);
            if (ds instanceof SecureDirectoryStream<Path> sds) {
                return sds;
            }
            ds.close();
            throw new Refused("this platform cannot open files relative to a directory (no openat); "
                    + "file tools are refused rather than checked by name only");
        } catch (IOException e) {
            throw new Refused("workspace " + given + " cannot be opened: " + e.getMessage());
        }
    }

    SecureDirectoryStream<Path> openDir(SecureDirectoryStream<Path> parent, String name, List<String> here)
            throws Refused {
        beforeOpen.accept(join(here));
        try {
            return parent.newDirectoryStream(Path.of(name), NOFOLLOW);
        } catch (NotDirectoryException e) {
            throw new Refused("'" + join(here) + "' is not a directory");
        } catch (IOException e) {
            throw openFailed(join(here), e);
        }
    }

    static BasicFileAttributes attributesOrNull(SecureDirectoryStream<Path> dir, String name) throws Refused {
        try {
            return dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw openFailed(name, e);
        }
    }

    private static Refused openFailed(String path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new Refused("'" + path + "' does not exist");
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
        if (reason.contains("symbolic link")) {
            return new Refused("'" + path + "' became a symbolic link while it was being opened; refused, nothing"
                    + " outside the workspace was touched");
        }
        return new Refused("'" + path + "' could not be opened: " + reason);
    }

    private static void close(SecureDirectoryStream<Path> dir) {
        try {
            dir.close();
        } catch (IOException e) {
            // nothing held
        }
    }

    /** A path the tool will not touch, with the reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
