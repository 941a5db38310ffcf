package org.crustyclaw.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The state directory holds the audit log, approvals, secrets and logs: owner-only. Checked
 * each time a daemon or an offline framework starts on it. Created {@code 0700}. Found with
 * group or others able to read or enter it, it and the files in it (the database, its journal
 * and the logs) are set back to owner-only and the fix is reported. Found with group or others
 * able to write to it, or owned by someone else, it is refused: another user may have replaced
 * what is in it, and no chmod undoes that.
 */
final class StateDir {

    static final Set<PosixFilePermission> GROUP_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    static final Set<PosixFilePermission> WRITE_BY_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** The directory cannot be used: its message says which and what to do. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private StateDir() {}

    /**
     * Creates or checks {@code state}; returns what was fixed, one sentence each (empty when it
     * was private already).
     *
     * @throws Refused when someone else owns it or may write to it
     */
    static List<String> secure(Path state) throws IOException {
        List<String> fixed = new ArrayList<>();
        if (!Files.exists(state, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(state.getParent());
            try {
                Files.createDirectory(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by a concurrent start: checked below like any existing one
            }
        }
        if (Files.isSymbolicLink(state) || !Files.isDirectory(state, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused("state directory " + state + " is " + (Files.isSymbolicLink(state) ? "a symbolic link" : "not a directory")
                    + ": expected a directory of its own (set CRUSTYCLAW_STATE or [daemon] state_dir)");
        }
        requireOwner(state);
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(state, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(WRITE_BY_OTHERS::contains)) {
            throw new Refused("state directory " + state + " is " + PosixFilePermissions.toString(mode)
                    + ": other users may write to it and may have replaced its database or keys; expected rwx------."
                    + " Check its contents, then chmod 700 it");
        }
        restrict(state, mode, fixed);
        for (Path dir : List.of(state, state.resolve("logs"), state.resolve("run"))) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (!dir.equals(state)) {
                requireOwner(dir);
                restrict(dir, Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS), fixed);
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        requireOwner(f);
                        restrict(f, Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS), fixed);
                    }
                }
            }
        }
        return fixed;
    }

    /** Creates {@code file} owner-only when absent, so whoever opens it later (a log, the daemon's output) keeps that mode. */
    static void ownerOnlyFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (mode.stream().anyMatch(GROUP_OTHERS::contains)) {
                mode.removeAll(GROUP_OTHERS);
                Files.setPosixFilePermissions(file, mode);
            }
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> mode, List<String> fixed) throws IOException {
        if (mode.stream().noneMatch(GROUP_OTHERS::contains)) {
            return;
        }
        Set<PosixFilePermission> owner = EnumSet.copyOf(mode);
        owner.removeAll(GROUP_OTHERS);
        Files.setPosixFilePermissions(path, owner);
        fixed.add(path + " was " + PosixFilePermissions.toString(mode) + ", now " + PosixFilePermissions.toString(owner));
    }

    private static void requireOwner(Path path) throws IOException {
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != me) {
            throw new Refused(path + " belongs to uid " + uid + ", not to this user (uid " + me
                    + "): expected a state directory of one's own (set CRUSTYCLAW_STATE or [daemon] state_dir)");
        }
    }
}
