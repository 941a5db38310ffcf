package org.crustyclaw.sandbox.bwrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.sandbox.ResourceLimits;

/**
 * Makes cgroups by hand under a parent group, on the v1 hierarchies (memory, pids, cpu)
 * or on the unified v2 hierarchy, whichever the host mounts at {@code root}. bwrap has
 * no limits of its own; these are its memory, process and CPU ceilings.
 */
final class CgroupTree {

    enum Version { V1, V2 }

    private final Path root;
    private final String parent;
    private final Version version;
    private final boolean cpuV1;

    private CgroupTree(Path root, String parent, Version version) {
        this.root = root;
        this.parent = parent;
        this.version = version;
        this.cpuV1 = version == Version.V1 && Files.isDirectory(root.resolve("cpu").resolve(parent));
    }

    /**
     * Finds the hierarchy under {@code root} and prepares the parent group.
     *
     * @return the tree, or why limits cannot be enforced here
     */
    static Result detect(Path root, String parent) {
        if (!parent.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("cgroup parent '" + parent + "' is not a plain directory name");
        }
        try {
            if (Files.exists(root.resolve("cgroup.controllers"))) {
                String controllers = read(root.resolve("cgroup.controllers"));
                for (String needed : List.of("memory", "pids")) {
                    if (!List.of(controllers.trim().split("\\s+")).contains(needed)) {
                        return new Result(Optional.empty(), "cgroup v2 at " + root + " lacks the " + needed + " controller");
                    }
                }
                String cpu = controllers.contains("cpu") ? " +cpu" : "";
                write(root.resolve("cgroup.subtree_control"), "+memory +pids" + cpu);
                Path group = root.resolve(parent);
                Files.createDirectories(group);
                write(group.resolve("cgroup.subtree_control"), "+memory +pids" + cpu);
                return new Result(Optional.of(new CgroupTree(root, parent, Version.V2)), "");
            }
            for (String controller : List.of("memory", "pids")) {
                if (!Files.isDirectory(root.resolve(controller))) {
                    return new Result(Optional.empty(), "no cgroup v1 " + controller + " hierarchy at "
                            + root.resolve(controller) + " and no cgroup v2 at " + root);
                }
                Files.createDirectories(root.resolve(controller).resolve(parent));
            }
            if (Files.isDirectory(root.resolve("cpu"))) {
                Files.createDirectories(root.resolve("cpu").resolve(parent));
            }
            return new Result(Optional.of(new CgroupTree(root, parent, Version.V1)), "");
        } catch (IOException e) {
            return new Result(Optional.empty(), "cannot make cgroups under " + root + " (" + e
                    + "): run the daemon as root or delegate a cgroup to it");
        }
    }

    /** The outcome of {@link #detect}: a tree, or the reason there is none. */
    record Result(Optional<CgroupTree> tree, String unavailableBecause) {}

    Version version() {
        return version;
    }

    private List<Path> dirs(String name) {
        if (version == Version.V2) {
            return List.of(root.resolve(parent).resolve(name));
        }
        List<Path> dirs = new ArrayList<>(List.of(root.resolve("memory").resolve(parent).resolve(name),
                root.resolve("pids").resolve(parent).resolve(name)));
        if (cpuV1) {
            dirs.add(root.resolve("cpu").resolve(parent).resolve(name));
        }
        return dirs;
    }

    /** Makes the group {@code name} with the memory, process and CPU ceilings of {@code limits}. */
    Cgroup create(String name, ResourceLimits limits) throws IOException {
        long quota = Math.max(1000, Math.round(limits.cpus() * 100_000));
        if (version == Version.V2) {
            Path dir = root.resolve(parent).resolve(name);
            Files.createDirectory(dir);
            write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
            writeIfPresent(dir.resolve("memory.swap.max"), "0");
            write(dir.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
            writeIfPresent(dir.resolve("cpu.max"), quota + " 100000");
            return new V2(dir);
        }
        List<Path> dirs = dirs(name);
        Path memory = dirs.get(0);
        Path pids = dirs.get(1);
        Files.createDirectory(memory);
        Files.createDirectory(pids);
        write(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        writeIfPresent(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        write(pids.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
        if (cpuV1) {
            Path group = dirs.get(2);
            Files.createDirectory(group);
            write(group.resolve("cpu.cfs_period_us"), "100000");
            write(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
        }
        return new V1(memory, dirs);
    }

    private record V1(Path memory, List<Path> dirs) implements Cgroup {
        @Override
        public List<Path> procsFiles() {
            return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        @Override
        public List<Long> pids() {
            return CgroupTree.pids(memory.resolve("cgroup.procs"));
        }

        @Override
        public long oomKills() {
            return keyed(memory.resolve("memory.oom_control"), "oom_kill");
        }

        @Override
        public long peakMemoryBytes() {
            return number(memory.resolve("memory.max_usage_in_bytes"));
        }

        @Override
        public void remove() throws IOException {
            for (Path d : dirs) {
                Files.deleteIfExists(d);
            }
        }
    }

    private record V2(Path dir) implements Cgroup {
        @Override
        public List<Path> procsFiles() {
            return List.of(dir.resolve("cgroup.procs"));
        }

        @Override
        public List<Long> pids() {
            return CgroupTree.pids(dir.resolve("cgroup.procs"));
        }

        @Override
        public long oomKills() {
            return keyed(dir.resolve("memory.events"), "oom_kill");
        }

        @Override
        public long peakMemoryBytes() {
            return number(dir.resolve("memory.peak"));
        }

        @Override
        public void remove() throws IOException {
            Files.deleteIfExists(dir);
        }
    }

    static List<Long> pids(Path procs) {
        try {
            List<Long> pids = new ArrayList<>();
            for (String line : read(procs).split("\n")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
            return pids;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + procs + ": " + e.getMessage(), e);
        }
    }

    /** The value of the {@code key value} line of a flat-keyed cgroup file, 0 when absent. */
    static long keyed(Path file, String key) {
        try {
            for (String line : read(file).split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length == 2 && f[0].equals(key)) {
                    return Long.parseLong(f[1]);
                }
            }
            return 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static long number(Path file) {
        try {
            return Long.parseLong(read(file).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    private static void writeIfPresent(Path file, String value) {
        try {
            if (Files.exists(file)) {
                write(file, value);
            }
        } catch (IOException e) {
            // optional knob (swap accounting off, no cpu controller): the required ones were written
        }
    }
}
