package org.crustyclaw.sandbox.bwrap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One control group made for one sandbox: the bwrap process joins it before it execs,
 * so every process of the sandbox is counted and limited, even after it re-parents.
 */
interface Cgroup {

    /** The {@code cgroup.procs} files a process writes its pid to, to join. */
    List<Path> procsFiles();

    /** The pids in the group now. */
    List<Long> pids();

    /** How many times the kernel OOM-killed a process of the group. */
    long oomKills();

    /** The highest memory use seen, 0 when the kernel does not say. */
    long peakMemoryBytes();

    /** Removes the group; it must be empty. */
    void remove() throws IOException;
}
