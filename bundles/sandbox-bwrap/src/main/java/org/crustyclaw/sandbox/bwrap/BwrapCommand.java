package org.crustyclaw.sandbox.bwrap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.crustyclaw.api.sandbox.ResourceLimits;

/**
 * The command lines that start a bwrap sandbox and the script that later runs its
 * command inside. Pure: everything it needs comes in as values, so tests read it.
 *
 * <p>The host side is {@code sh -c JOIN ... setpriv ... bwrap ... -- /bin/sh -c READY}: the
 * outer shell puts itself into the sandbox's cgroups and opens the seccomp program as
 * fd {@value #SECCOMP_FD}, then execs into bwrap (through setpriv to drop to the
 * sandbox user when the daemon is root). Inside, a shell prints {@value #READY} and reads
 * the command script from stdin, so a sandbox can be started before its command is known.
 */
final class BwrapCommand {

    static final int SECCOMP_FD = 9; // dash redirects single-digit descriptors only
    static final String READY = "crustyclaw-sandbox-ready";
    static final String JOIN_SCRIPT = "for f in $CC_CGROUP_PROCS; do echo $$ > \"$f\" || exit 125; done; "
            + "exec " + SECCOMP_FD + "< \"$CC_SECCOMP\" || exit 125; exec \"$@\"";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

    /**
     * @param bwrap         the bwrap binary
     * @param setpriv       the setpriv binary, used when {@code runAs} is present
     * @param runAs         uid and gid to drop to on the host before bwrap, when the daemon is root
     * @param readOnlyBinds host paths bound read-only at the same place (missing ones skipped)
     * @param etcDir        a directory holding the sandbox's own passwd and group files
     */
    record Host(Path bwrap, Path setpriv, Optional<int[]> runAs, List<String> readOnlyBinds, Path etcDir) {}

    private BwrapCommand() {}

    /** argv of the host process; its environment must hold only CC_CGROUP_PROCS and CC_SECCOMP. */
    static List<String> argv(Host host, Path workspace, int uid, int gid, ResourceLimits limits) {
        List<String> args = new ArrayList<>(List.of("/bin/sh", "-c", JOIN_SCRIPT, "crustyclaw-bwrap"));
        host.runAs().ifPresent(ids -> args.addAll(List.of(host.setpriv().toString(),
                "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--")));
        args.add(host.bwrap().toString());
        args.addAll(List.of("--unshare-all", "--unshare-user", "--uid", Integer.toString(uid), "--gid",
                Integer.toString(gid), "--hostname", "sandbox", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL", "--clearenv", "--seccomp", Integer.toString(SECCOMP_FD)));
        for (String dir : host.readOnlyBinds()) {
            args.addAll(List.of("--ro-bind-try", dir, dir));
        }
        args.addAll(List.of("--ro-bind", host.etcDir().resolve("passwd").toString(), "/etc/passwd",
                "--ro-bind", host.etcDir().resolve("group").toString(), "/etc/group",
                "--proc", "/proc", "--dev", "/dev",
                "--size", Long.toString(limits.diskBytes()), "--tmpfs", "/tmp"));
        String ws = workspace.toString();
        args.addAll(List.of("--bind", ws, ws, "--chdir", ws, "--remount-ro", "/",
                "--", "/bin/sh", "-c", "echo " + READY + " && exec /bin/sh -s"));
        return args;
    }

    /** The script the inside shell runs: the exact environment, then exec of the command. */
    static String script(Path workspace, List<String> command, Map<String, String> environment) {
        StringBuilder s = new StringBuilder();
        s.append("cd ").append(quote(workspace.toString())).append(" || exit 126\n");
        if (!environment.containsKey("PATH")) {
            s.append("export PATH=").append(quote(DEFAULT_PATH)).append('\n');
        }
        if (!environment.containsKey("HOME")) {
            s.append("export HOME=").append(quote(workspace.toString())).append('\n');
        }
        environment.forEach((k, v) -> {
            if (!ENV_NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("environment variable name '" + k
                        + "' is not letters, digits and '_' (not starting with a digit)");
            }
            s.append("export ").append(k).append('=').append(quote(v)).append('\n');
        });
        s.append("exec");
        command.forEach(a -> s.append(' ').append(quote(a)));
        return s.append('\n').toString();
    }

    /** POSIX shell single quoting: nothing inside is expanded. */
    static String quote(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("argument holds a NUL byte: " + text.replace('\0', '?'));
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
