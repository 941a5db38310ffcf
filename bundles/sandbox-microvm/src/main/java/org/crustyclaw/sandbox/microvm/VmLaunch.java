package org.crustyclaw.sandbox.microvm;

import java.nio.file.Path;
import java.util.Optional;

import org.crustyclaw.api.sandbox.SandboxException;

/**
 * How one microVM is started and reached: QEMU with its agent on a Unix socket, or
 * Firecracker configured over its API with the agent on its serial console. {@link MicroVm}
 * does the rest (READY, the command, power-off) the same way for both.
 */
interface VmLaunch {

    /** The private directory of this VM (sockets, logs, disk image); removed with the VM. */
    Path runDir();

    /** The host workspace, at the same path inside. */
    Path workspace();

    /** Where the guest kernel's console lands, when the host can see it at all. */
    Optional<Path> kernelLog();

    /** For messages: which VMM, how accelerated. */
    String describe();

    /**
     * Starts the VMM and the guest in it. On failure whatever was started is killed before
     * this throws.
     *
     * @param deadline {@link System#nanoTime()} by which the guest must be starting
     */
    Process start(long deadline) throws SandboxException, InterruptedException;

    /** Connects to the agent of the started VM, by {@code deadline}. */
    AgentLink connect(Process process, long deadline) throws SandboxException, InterruptedException;

    /** The workspace as a disk image, copied back after the command; empty when it is shared live (9p). */
    default Optional<DiskWorkspace> disk() {
        return Optional.empty();
    }

    /** Asks the VMM to stop the guest when the agent did not power it off (before it is killed). */
    default void requestStop(Process process) {}

    /** The VMM's own logs and the console, shortened, for error messages. */
    String diagnostics();
}
