package org.crustyclaw.sandbox.microvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The backend's configuration, validated once. A warm pool of booted VMs is the sandbox
 * manager's ({@code pools = ["base@L3=1"]}), which boots them through
 * {@link MicrovmBackend#prepare}; this backend keeps none of its own.
 *
 * @param qemu        the qemu-system-x86_64 binary
 * @param kernel      the uncompressed guest kernel (vmlinux)
 * @param initramfs   the guest initramfs holding the agent
 * @param accel       {@code auto}, {@code kvm} or {@code tcg}
 * @param bootTimeout how long a VM may take to report READY before it is killed
 */
record Settings(Path qemu, Path kernel, Path initramfs, String accel, Duration bootTimeout) {

    /** Below this the Debian guest kernel does not reach READY. */
    static final int MIN_MEMORY_MIB = 128;

    Settings {
        accel = accel.trim().toLowerCase(Locale.ROOT);
        if (!accel.equals("auto") && !accel.equals("kvm") && !accel.equals("tcg")) {
            throw new IllegalArgumentException("accel '" + accel + "' is not auto, kvm or tcg");
        }
        if (bootTimeout.isNegative() || bootTimeout.isZero()) {
            throw new IllegalArgumentException("boot timeout must be positive: " + bootTimeout);
        }
    }

    static Settings from(MicrovmBackend.Config c) {
        return new Settings(Path.of(c.qemuBinary()), Path.of(c.kernel()), Path.of(c.initramfs()), c.accel(),
                Duration.ofSeconds(c.bootTimeoutSeconds()));
    }

    /** The assets made by scripts/setup-sandbox-host.sh in the default places. */
    static Settings defaults() {
        Path dir = Path.of("/var/lib/crustyclaw/microvm");
        return new Settings(Path.of("/usr/bin/qemu-system-x86_64"), dir.resolve("vmlinux"),
                dir.resolve("initramfs.cpio.gz"), "auto", Duration.ofSeconds(30));
    }

    Settings withAccel(String value) {
        return new Settings(qemu, kernel, initramfs, value, bootTimeout);
    }

    Settings withBootTimeout(Duration value) {
        return new Settings(qemu, kernel, initramfs, accel, value);
    }
}
