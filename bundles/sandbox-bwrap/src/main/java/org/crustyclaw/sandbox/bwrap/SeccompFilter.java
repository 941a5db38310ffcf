package org.crustyclaw.sandbox.bwrap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seccomp program bwrap installs before it runs the command ({@code --seccomp FD}):
 * classic BPF for x86_64, written here byte by byte so that no libseccomp is needed.
 *
 * <p>It kills a process that enters through another ABI (i386 {@code int 0x80}, x32),
 * answers EPERM to the syscalls that serve escapes (mounts, namespaces, modules, kexec,
 * ptrace, keyrings, bpf, io_uring, ...) and to {@code clone} with a namespace flag, and
 * ENOSYS to {@code clone3} (whose flags it cannot read) so that libc falls back to
 * {@code clone}. Everything else is allowed: namespaces and dropped capabilities do the rest.
 */
final class SeccompFilter {

    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    static final int X32_SYSCALL_BIT = 0x40000000;
    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_ALLOW = 0x7FFF0000;
    static final int EPERM = 1;
    static final int ENOSYS = 38;
    static final int SYS_CLONE = 56;
    static final int SYS_CLONE3 = 435;
    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME. */
    static final int CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
            | 0x20000000 | 0x40000000 | 0x00000080;

    /** The syscalls answered with EPERM, by x86_64 number. */
    static final Map<Integer, String> DENIED = denied();

    private static final short LD_W_ABS = 0x20;
    private static final short JEQ_K = 0x15;
    private static final short JGE_K = 0x35;
    private static final short JSET_K = 0x45;
    private static final short RET_K = 0x06;
    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int OFFSET_ARG0_LOW = 16;

    private SeccompFilter() {}

    /** The program as {@code struct sock_filter[]}: 8 bytes per instruction, little-endian. */
    static byte[] program() {
        List<long[]> code = new ArrayList<>();
        int n = DENIED.size();
        // layout: [0] ld arch, [1] jeq arch, [2] ld nr, [3] jge x32, [4..4+n) denied, [4+n] jeq clone3,
        // [5+n] jeq clone, [6+n] ld arg0, [7+n] jset namespace flags, [8+n] allow, [9+n] deny, [10+n] kill,
        // [11+n] enosys (classic BPF jumps only forward)
        int allow = 8 + n;
        int deny = 9 + n;
        int kill = 10 + n;
        int enosys = 11 + n;
        code.add(insn(LD_W_ABS, 0, 0, OFFSET_ARCH));
        code.add(jump(1, AUDIT_ARCH_X86_64, 2, kill));
        code.add(insn(LD_W_ABS, 0, 0, OFFSET_NR));
        code.add(jumpOp(JGE_K, 3, X32_SYSCALL_BIT, deny, 4));
        int at = 4;
        for (int nr : DENIED.keySet()) {
            code.add(jump(at, nr, deny, at + 1));
            at++;
        }
        code.add(jump(at, SYS_CLONE3, enosys, at + 1));
        code.add(jump(at + 1, SYS_CLONE, at + 2, allow));
        code.add(insn(LD_W_ABS, 0, 0, OFFSET_ARG0_LOW));
        code.add(jumpOp(JSET_K, at + 3, CLONE_NAMESPACE_FLAGS, deny, allow));
        code.add(insn(RET_K, 0, 0, RET_ALLOW));
        code.add(insn(RET_K, 0, 0, RET_ERRNO | EPERM));
        code.add(insn(RET_K, 0, 0, RET_KILL_PROCESS));
        code.add(insn(RET_K, 0, 0, RET_ERRNO | ENOSYS));
        ByteBuffer out = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] i : code) {
            out.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt((int) i[3]);
        }
        return out.array();
    }

    private static long[] jump(int at, int k, int whenTrue, int whenFalse) {
        return jumpOp(JEQ_K, at, k, whenTrue, whenFalse);
    }

    /** A conditional jump from instruction {@code at} to absolute targets (BPF jumps are relative, forward). */
    private static long[] jumpOp(short op, int at, int k, int whenTrue, int whenFalse) {
        int jt = whenTrue - at - 1;
        int jf = whenFalse - at - 1;
        if (jt < 0 || jt > 255 || jf < 0 || jf > 255) {
            throw new IllegalStateException("seccomp jump out of range at " + at + ": " + jt + "/" + jf);
        }
        return insn(op, jt, jf, k);
    }

    private static long[] insn(short code, int jt, int jf, int k) {
        return new long[] {code, jt, jf, k & 0xFFFFFFFFL};
    }

    private static Map<Integer, String> denied() {
        Map<Integer, String> m = new TreeMap<>();
        Object[] table = {
            101, "ptrace", 103, "syslog", 134, "uselib", 153, "vhangup", 155, "pivot_root", 156, "_sysctl",
            159, "adjtimex", 161, "chroot", 163, "acct", 164, "settimeofday", 165, "mount", 166, "umount2",
            167, "swapon", 168, "swapoff", 169, "reboot", 172, "iopl", 173, "ioperm", 174, "create_module",
            175, "init_module", 176, "delete_module", 177, "get_kernel_syms", 178, "query_module",
            179, "quotactl", 180, "nfsservctl", 212, "lookup_dcookie", 227, "clock_settime", 246, "kexec_load",
            248, "add_key", 249, "request_key", 250, "keyctl", 272, "unshare", 298, "perf_event_open",
            303, "name_to_handle_at", 304, "open_by_handle_at", 305, "clock_adjtime", 308, "setns",
            310, "process_vm_readv", 311, "process_vm_writev", 312, "kcmp", 313, "finit_module",
            320, "kexec_file_load", 321, "bpf", 323, "userfaultfd", 425, "io_uring_setup",
            426, "io_uring_enter", 427, "io_uring_register", 428, "open_tree", 429, "move_mount",
            430, "fsopen", 431, "fsconfig", 432, "fsmount", 433, "fspick", 442, "mount_setattr"};
        for (int i = 0; i < table.length; i += 2) {
            m.put((Integer) table[i], (String) table[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
