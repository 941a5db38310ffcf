package org.crustyclaw.sandbox.bwrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Runs the generated program through a small classic-BPF interpreter, as the kernel would. */
class SeccompFilterTest {

    private static final byte[] PROGRAM = SeccompFilter.program();

    @Test
    void deniesTheEscapeSyscallsWithEperm() {
        // x86_64 numbers of mount, umount2, ptrace, kexec_load, init_module, finit_module, delete_module, bpf,
        // perf_event_open, keyctl, add_key, request_key, unshare, setns, pivot_root, swapon, reboot,
        // open_by_handle_at, userfaultfd
        for (int nr : List.of(165, 166, 101, 246, 175, 313, 176, 321, 298, 250, 248, 249, 272, 308, 155, 167, 169,
                304, 323)) {
            assertThat(run(SeccompFilter.AUDIT_ARCH_X86_64, nr, 0)).as("syscall %d", nr)
                    .isEqualTo(SeccompFilter.RET_ERRNO | SeccompFilter.EPERM);
        }
    }

    @Test
    void allowsOrdinarySyscalls() {
        // read, write, openat, execve, exit_group, clone for a thread
        for (int nr : List.of(0, 1, 257, 59, 231)) {
            assertThat(run(SeccompFilter.AUDIT_ARCH_X86_64, nr, 0)).as("syscall %d", nr)
                    .isEqualTo(SeccompFilter.RET_ALLOW);
        }
        assertThat(run(SeccompFilter.AUDIT_ARCH_X86_64, SeccompFilter.SYS_CLONE, 0x003d0f00))
                .isEqualTo(SeccompFilter.RET_ALLOW);
    }

    @Test
    void deniesCloneIntoANewNamespaceAndSendsClone3BackToClone() {
        assertThat(run(SeccompFilter.AUDIT_ARCH_X86_64, SeccompFilter.SYS_CLONE, 0x10000000 | 17))
                .isEqualTo(SeccompFilter.RET_ERRNO | SeccompFilter.EPERM);
        assertThat(run(SeccompFilter.AUDIT_ARCH_X86_64, SeccompFilter.SYS_CLONE, 0x00020000))
                .isEqualTo(SeccompFilter.RET_ERRNO | SeccompFilter.EPERM);
        assertThat(run(SeccompFilter.AUDIT_ARCH_X86_64, SeccompFilter.SYS_CLONE3, 0))
                .isEqualTo(SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS);
    }

    @Test
    void killsOtherAbis() {
        assertThat(run(0x40000003 /* AUDIT_ARCH_I386 */, 1, 0)).isEqualTo(SeccompFilter.RET_KILL_PROCESS);
        assertThat(run(SeccompFilter.AUDIT_ARCH_X86_64, SeccompFilter.X32_SYSCALL_BIT | 165, 0))
                .isEqualTo(SeccompFilter.RET_ERRNO | SeccompFilter.EPERM);
    }

    @Test
    void isAWholeNumberOfSockFilterInstructions() {
        assertThat(PROGRAM.length % 8).isZero();
        assertThat(PROGRAM.length / 8).isLessThan(4096); // BPF_MAXINSNS
    }

    /** Interprets the subset of classic BPF the filter uses over a seccomp_data. */
    private static int run(int arch, int nr, int arg0Low) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putInt(16, arg0Low);
        ByteBuffer code = ByteBuffer.wrap(PROGRAM).order(ByteOrder.LITTLE_ENDIAN);
        int acc = 0;
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            int op = code.getShort(pc * 8) & 0xFFFF;
            int jt = code.get(pc * 8 + 2) & 0xFF;
            int jf = code.get(pc * 8 + 3) & 0xFF;
            int k = code.getInt(pc * 8 + 4);
            switch (op) {
                case 0x20 -> { acc = data.getInt(k); pc++; }
                case 0x15 -> pc += 1 + (acc == k ? jt : jf);
                case 0x35 -> pc += 1 + (Integer.compareUnsigned(acc, k) >= 0 ? jt : jf);
                case 0x45 -> pc += 1 + ((acc & k) != 0 ? jt : jf);
                case 0x06 -> { return k; }
                default -> throw new AssertionError("unexpected BPF opcode " + Integer.toHexString(op) + " at " + pc);
            }
        }
        throw new AssertionError("filter did not return");
    }
}
