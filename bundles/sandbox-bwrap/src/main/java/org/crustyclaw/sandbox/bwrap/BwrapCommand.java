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
 * <p>The host side is {@code sh -c JOIN ... setpriv ... bwrap ... -- /bin/sh -s}: the
 * outer shell puts itself into the sandbox's cgroups (before bwrap makes the cgroup
 * namespace, so that inside they are the root) and opens the seccomp program and the
 * sandbox's passwd and group files as fds
 * {@value #SECCOMP_FD}, {@value #PASSWD_FD} and {@value #GROUP_FD}, then execs into bwrap
 * (through setpriv to drop to the sandbox user when the daemon is root). bwrap applies the
 * filter and copies the two files into the sandbox's root, which ends read-only: no bind
 * mount for either. Inside, one shell reads its script from stdin:
 * first {@link #READY_LINE}, which answers {@value #READY} once the sandbox is up, then
 * the command script, so a sandbox can be started before its command is known. Values
 * of the environment travel on stdin, never in an argv that host users could read.
 */
final class BwrapCommand {

    static final int SECCOMP_FD = 9; // dash redirects single-digit descriptors only
    static final int PASSWD_FD = 8;
    static final int GROUP_FD = 7;
    static final String READY = "crustyclaw-sandbox-ready";
    /** The first line of every script: the sandbox answers it once bwrap has set it up. */
    static final String READY_LINE = "echo " + READY + "\n";
    static final String JOIN_SCRIPT = "for f in $CC_CGROUP_PROCS; do echo $$ > \"$f\" || exit 125; done; "
            + "exec " + SECCOMP_FD + "< \"$CC_SECCOMP\" " + PASSWD_FD + "< \"$CC_ETC/passwd\" " + GROUP_FD
            + "< \"$CC_ETC/group\" || exit 125; exec \"$@\"";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

    /**
     * @param bwrap         the bwrap binary
     * @param setpriv       the setpriv binary, used when {@code runAs} is present
     * @param runAs         uid and gid to drop to on the host before bwrap, when the daemon is root
     * @param readOnlyBinds host paths made visible read-only at the same place (missing ones skipped)
     * @param etcDir        a directory holding the sandbox's own passwd and group files (CC_ETC)
     */
    record Host(Path bwrap, Path setpriv, Optional<int[]> runAs, List<ReadOnlyPath> readOnlyBinds, Path etcDir) {}

    /**
     * A host path shown read-only inside: bound, or, when the host has a symlink there whose
     * target lies in another bound directory (merged /usr: /bin -> usr/bin), the same symlink.
     * A symlink costs bwrap no mount, and it shows the same read-only files as a bind would.
     */
    record ReadOnlyPath(String path, Optional<String> symlinkTo) {
        static ReadOnlyPath bind(String path) {
            return new ReadOnlyPath(path, Optional.empty());
        }
    }

    /** Where the relay listens inside: the sandbox's {@code http_proxy}. */
    static final int EGRESS_PORT = 3128;
    static final String EGRESS_DIR = "/run/crustyclaw/egress";
    static final String RELAY_DIR = "/run/crustyclaw/relay";
    static final String EGRESS_READY = "/tmp/.crustyclaw-egress-ready";
    /** The relay's complaints, for the command to show when it cannot get out. */
    static final String EGRESS_LOG = "/tmp/.crustyclaw-egress.log";

    /**
     * Egress through the credential proxy: its socket's directory and the relay's class
     * directory are bound read-only, and the JDK that runs the relay is visible.
     *
     * @param socket   the proxy's Unix socket on the host
     * @param relayDir the host directory holding the relay's class file
     * @param javaHome the JDK whose {@code bin/java} runs the relay inside
     * @param jdkLinks  directories outside the JDK that its files link to (Debian keeps
     *                  {@code conf/security} under /etc), bound read-only at the same place
     */
    record Egress(Path socket, Path relayDir, Path javaHome, List<Path> jdkLinks) {}

    private BwrapCommand() {}

    /** argv of the host process; its environment must hold only CC_CGROUP_PROCS, CC_SECCOMP and CC_ETC. */
    static List<String> argv(Host host, Path workspace, int uid, int gid, ResourceLimits limits) {
        return argv(host, workspace, uid, gid, limits, Optional.empty());
    }

    /** argv with, when {@code egress} is present, the proxy socket, the relay and the JDK bound in. */
    static List<String> argv(Host host, Path workspace, int uid, int gid, ResourceLimits limits,
            Optional<Egress> egress) {
        List<String> args = new ArrayList<>(List.of("/bin/sh", "-c", JOIN_SCRIPT, "crustyclaw-bwrap"));
        host.runAs().ifPresent(ids -> args.addAll(List.of(host.setpriv().toString(),
                "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--")));
        args.add(host.bwrap().toString());
        args.addAll(List.of("--unshare-all", "--unshare-user", "--uid", Integer.toString(uid), "--gid",
                Integer.toString(gid), "--hostname", "sandbox", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL", "--clearenv", "--seccomp", Integer.toString(SECCOMP_FD)));
        for (ReadOnlyPath p : host.readOnlyBinds()) {
            args.addAll(p.symlinkTo().map(target -> List.of("--symlink", target, p.path()))
                    .orElse(List.of("--ro-bind-try", p.path(), p.path())));
        }
        args.addAll(List.of("--perms", "0444", "--file", Integer.toString(PASSWD_FD), "/etc/passwd",
                "--perms", "0444", "--file", Integer.toString(GROUP_FD), "/etc/group",
                "--proc", "/proc", "--dev", "/dev",
                "--size", Long.toString(limits.diskBytes()), "--tmpfs", "/tmp"));
        egress.ifPresent(e -> {
            args.addAll(List.of("--ro-bind", e.socket().getParent().toString(), EGRESS_DIR,
                    "--ro-bind", e.relayDir().toString(), RELAY_DIR));
            String jdk = e.javaHome().toString();
            if (host.readOnlyBinds().stream().noneMatch(p -> e.javaHome().startsWith(p.path()))) {
                args.addAll(List.of("--ro-bind", jdk, jdk));
            }
            for (Path link : e.jdkLinks()) {
                args.addAll(List.of("--ro-bind-try", link.toString(), link.toString()));
            }
        });
        String ws = workspace.toString();
        args.addAll(List.of("--bind", ws, ws, "--chdir", ws, "--remount-ro", "/",
                "--", "/bin/sh", "-s"));
        return args;
    }

    /** The script the inside shell runs: the exact environment, then exec of the command. */
    static String script(Path workspace, List<String> command, Map<String, String> environment) {
        return script(workspace, command, environment, Optional.empty());
    }

    /**
     * The script; with {@code egress} it first starts the relay (its output discarded, stdin
     * closed so it cannot eat the script) and waits until it listens, then points the proxy
     * variables at it.
     */
    static String script(Path workspace, List<String> command, Map<String, String> environment,
            Optional<Egress> egress) {
        StringBuilder s = new StringBuilder();
        s.append("cd ").append(quote(workspace.toString())).append(" || exit 126\n");
        egress.ifPresent(e -> {
            s.append(quote(e.javaHome().resolve("bin/java").toString()))
                    .append(" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx24m -Xss512k -XX:-UsePerfData")
                    .append(" -cp ").append(RELAY_DIR).append(' ').append(EgressRelay.class.getName()).append(' ')
                    .append(EGRESS_PORT).append(' ').append(quote(EGRESS_DIR + "/" + e.socket().getFileName()))
                    .append(' ').append(EGRESS_READY).append(" </dev/null >/dev/null 2>").append(EGRESS_LOG).append(" &\n")
                    .append("i=0; while [ ! -e ").append(EGRESS_READY).append(" ]; do i=$((i+1)); if [ $i -gt 2000 ];")
                    .append(" then echo 'crustyclaw: the egress relay did not start' >&2; exit 125; fi; sleep 0.005; done\n");
            for (String name : new String[] {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"}) {
                s.append("export ").append(name).append("=http://127.0.0.1:").append(EGRESS_PORT).append('\n');
            }
            s.append("export no_proxy= NO_PROXY=\n");
        });
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
