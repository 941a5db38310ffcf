package org.crustyclaw.sandbox.microvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The backend's configuration, validated once.
 *
 * @param qemu          the qemu-system-x86_64 binary
 * @param kernel        the uncompressed guest kernel (vmlinux)
 * @param initramfs     the guest initramfs holding the agent
 * @param memoryMib     memory of pooled VMs and of {@link MicrovmBackend#acquire}
 * @param accel         {@code auto}, {@code kvm} or {@code tcg}
 * @param bootTimeout   how long a VM may take to report READY before it is killed
 * @param poolSize      booted VMs kept waiting; 0 turns the warm pool off
 * @param workspaceRoot where pooled VMs get their fresh workspaces
 * @param workspaceUid  owner given to fresh workspaces when the daemon runs as root
 */
record Settings(Path qemu, Path kernel, Path initramfs, int memoryMib, String accel, Duration bootTimeout,
        int poolSize, Path workspaceRoot, int workspaceUid) {

    /** Below this the Debian guest kernel does not reach READY. */
    static final int MIN_MEMORY_MIB = 128;

    Settings {
        accel = accel.trim().toLowerCase(Locale.ROOT);
        if (!accel.equals("auto") && !accel.equals("kvm") && !accel.equals("tcg")) {
            throw new IllegalArgumentException("accel '" + accel + "' is not auto, kvm or tcg");
        }
        if (memoryMib < MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("memoryMib " + memoryMib + " is below the " + MIN_MEMORY_MIB
                    + " MiB a microVM needs to boot");
        }
        if (bootTimeout.isNegative() || bootTimeout.isZero()) {
            throw new IllegalArgumentException("boot timeout must be positive: " + bootTimeout);
        }
        if (poolSize < 0 || poolSize > 64) {
            throw new IllegalArgumentException("warm pool size " + poolSize + " is not between 0 and 64");
        }
        if (!workspaceRoot.isAbsolute()) {
            throw new IllegalArgumentException("workspace root must be an absolute path: " + workspaceRoot);
        }
        if (workspaceUid < 0) {
            throw new IllegalArgumentException("workspace uid must not be negative: " + workspaceUid);
        }
    }

    static Settings from(MicrovmBackend.Config c) {
        return new Settings(Path.of(c.qemuBinary()), Path.of(c.kernel()), Path.of(c.initramfs()), c.memoryMib(),
                c.accel(), Duration.ofSeconds(c.bootTimeoutSeconds()), c.warmPoolSize(),
                Path.of(c.workspaceRoot()), c.workspaceUid());
    }

    /** The assets made by scripts/setup-sandbox-host.sh in the default places. */
    static Settings defaults() {
        Path dir = Path.of("/var/lib/crustyclaw/microvm");
        return new Settings(Path.of("/usr/bin/qemu-system-x86_64"), dir.resolve("vmlinux"),
                dir.resolve("initramfs.cpio.gz"), 256, "auto", Duration.ofSeconds(30), 0, dir.resolve("workspaces"),
                1000);
    }

    Settings withAccel(String value) {
        return new Settings(qemu, kernel, initramfs, memoryMib, value, bootTimeout, poolSize, workspaceRoot,
                workspaceUid);
    }

    Settings withPool(int size, Path root) {
        return new Settings(qemu, kernel, initramfs, memoryMib, accel, bootTimeout, size, root, workspaceUid);
    }

    Settings withBootTimeout(Duration value) {
        return new Settings(qemu, kernel, initramfs, memoryMib, accel, value, poolSize, workspaceRoot,
                workspaceUid);
    }
}
