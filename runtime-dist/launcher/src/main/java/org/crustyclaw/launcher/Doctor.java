package org.crustyclaw.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code crustyclaw doctor}: what each sandbox backend needs on this host, checked without a
 * daemon (a newcomer runs it before the first start), and the exact commands that supply it.
 * {@code --fix}, as root, does the host setup of the one-package L2 backend (bwrap). The
 * daemon's own view, once it runs, is {@code crustyclaw sandbox list}.
 */
final class Doctor {

    /** One backend: ready or not, what is missing, the commands that fix it (to run as root). */
    record Finding(String backend, String level, boolean ready, List<String> missing, List<String> fix) {
        Finding {
            missing = List.copyOf(missing);
            fix = List.copyOf(fix);
        }
    }

    static final String BASE_IMAGE = "crustyclaw/base:local";
    private static final Path MICROVM = Path.of("/var/lib/crustyclaw/microvm");

    private final Map<String, String> env;
    private final Optional<Path> setupScript;
    private final boolean root;

    Doctor(Map<String, String> env, Path home) {
        this.env = env;
        // a distribution built in the source tree (runtime-dist/target/crustyclaw) can name the setup script
        Path script = home.toAbsolutePath().normalize().resolve("../../../scripts/setup-sandbox-host.sh").normalize();
        this.setupScript = Files.isRegularFile(script) ? Optional.of(script) : Optional.empty();
        this.root = "0".equals(run(List.of("id", "-u")).orElse("").trim());
    }

    List<Finding> check() {
        return List.of(bwrap(), dockerRunc(), dockerRunsc(), microvm());
    }

    Finding bwrap() {
        List<String> missing = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        Optional<Path> bwrap = onPath("bwrap");
        if (bwrap.isEmpty()) {
            missing.add("the bwrap binary (package bubblewrap)");
            fix.add("apt-get update && apt-get install -y bubblewrap");
        }
        if (root && onPath("setpriv").isEmpty()) {
            missing.add("setpriv (package util-linux), to drop root before bwrap");
            fix.add("apt-get install -y util-linux");
        }
        if (read(Path.of("/proc/sys/user/max_user_namespaces")).map(String::trim).filter("0"::equals).isPresent()) {
            missing.add("user namespaces (/proc/sys/user/max_user_namespaces is 0)");
            fix.add("sysctl -w user.max_user_namespaces=15000");
        }
        if (!root && !Files.isWritable(Path.of("/sys/fs/cgroup"))) {
            missing.add("a writable cgroup tree for memory, process and CPU limits (run the daemon as root, "
                    + "or delegate a cgroup and set [sandbox.bwrap] cgroup_root)");
        }
        if (bwrap.isPresent() && missing.isEmpty()) {
            Optional<String> probe = run(List.of(bwrap.get().toString(), "--unshare-all", "--ro-bind", "/", "/",
                    "--proc", "/proc", "--dev", "/dev", "/bin/sh", "-c", "echo sandboxed"));
            if (probe.filter(o -> o.contains("sandboxed")).isEmpty()) {
                missing.add("a working bwrap: '" + bwrap.get() + " --unshare-all ... /bin/sh' failed here"
                        + probe.map(o -> ": " + o.strip()).orElse(""));
            }
        }
        return new Finding("bwrap", "L2", missing.isEmpty(), missing, fix);
    }

    Finding dockerRunc() {
        List<String> missing = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        docker(missing, fix);
        return new Finding("docker-runc", "L1", missing.isEmpty(), missing, fix);
    }

    Finding dockerRunsc() {
        List<String> missing = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        Optional<String> info = docker(missing, fix);
        if (onPath("runsc").isEmpty()) {
            missing.add("the runsc binary (package runsc)");
            fix.add("apt-get install -y runsc");
        }
        if (info.isPresent() && !info.get().contains("\"runsc\"")) {
            missing.add("the runsc runtime in dockerd (/etc/docker/daemon.json)");
            fix.add("echo '{\"runtimes\":{\"runsc\":{\"path\":\"/usr/bin/runsc\",\"runtimeArgs\":[\"--network=none\"]}}}'"
                    + " > /etc/docker/daemon.json && kill -HUP $(pidof dockerd)   # merge by hand if the file has other settings");
        }
        return new Finding("docker-runsc", "L2", missing.isEmpty(), missing, fix);
    }

    /** dockerd's {@code /info} when it answers; otherwise what is missing added to the lists. */
    private Optional<String> docker(List<String> missing, List<String> fix) {
        String host = env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        if (!host.startsWith("unix://")) {
            missing.add("a Unix socket to dockerd (DOCKER_HOST is " + host + "; the doctor checks unix:// only)");
            return Optional.empty();
        }
        Path socket = Path.of(host.substring("unix://".length()));
        if (onPath("dockerd").isEmpty()) {
            missing.add("dockerd (package docker.io)");
            fix.add("apt-get update && apt-get install -y docker.io");
        }
        Optional<String> info = Files.exists(socket) ? get(socket, "/info") : Optional.empty();
        if (info.isEmpty()) {
            missing.add("a running dockerd answering on " + socket);
            fix.add("setsid dockerd > /var/log/dockerd.log 2>&1 < /dev/null &");
            return Optional.empty();
        }
        Optional<String> image = get(socket, "/images/" + BASE_IMAGE + "/json");
        if (image.isEmpty() || !image.get().contains("\"Id\"")) {
            missing.add("the image " + BASE_IMAGE + " (a busybox root file system; no registry is used)");
            fix.add(setupScript.map(s -> s + "   # imports it from busybox-static").orElse(
                    "scripts/setup-sandbox-host.sh from the source tree (imports it from busybox-static)"));
        }
        return info;
    }

    Finding microvm() {
        List<String> missing = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        if (!Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))) {
            missing.add("/usr/bin/qemu-system-x86_64 (package qemu-system-x86)");
            fix.add("apt-get update && apt-get install -y qemu-system-x86 linux-image-amd64 busybox-static");
        }
        for (String asset : List.of("vmlinux", "initramfs.cpio.gz")) {
            if (!Files.isReadable(MICROVM.resolve(asset))) {
                missing.add("the guest " + MICROVM.resolve(asset));
            }
        }
        if (missing.stream().anyMatch(m -> m.startsWith("the guest"))) {
            fix.add(setupScript.map(s -> s + "   # builds the guest kernel and initramfs").orElse(
                    "scripts/setup-sandbox-host.sh from the source tree (builds the guest kernel and initramfs)"));
        }
        if (missing.isEmpty() && !Files.exists(Path.of("/dev/kvm"))) {
            missing.add("nothing to run, but no /dev/kvm: VMs boot under TCG (software, ~1.5 s and slower commands)");
            return new Finding("qemu-microvm", "L3", true, missing, fix);
        }
        return new Finding("qemu-microvm", "L3", missing.isEmpty(), missing, fix);
    }

    /** Whether a backend at L2 or above is ready: what the default trust tiers need. */
    static boolean anyIsolating(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.ready() && !f.level().equals("L1"));
    }

    /**
     * As root, installs what bwrap lacks when that is only its package; prints each command it runs.
     *
     * @return whether it ran something
     */
    boolean fixBwrap(PrintStream out) {
        Finding bwrap = bwrap();
        if (bwrap.ready() || !root || bwrap.fix().isEmpty()) {
            return false;
        }
        for (String command : bwrap.fix()) {
            out.println("running: " + command);
            Optional<String> result = run(List.of("sh", "-c", "export DEBIAN_FRONTEND=noninteractive; " + command.replace(
                    "apt-get install -y", "apt-get install -y -qq").replace("apt-get update", "apt-get update -qq")
                    + " 2>&1; echo exit=$?"));
            String text = result.orElse("exit=1");
            if (!text.strip().endsWith("exit=0")) {
                out.println(text.strip());
                return true;
            }
        }
        return true;
    }

    /** The verb: prints the findings (after {@code --fix}); exit 0 when a backend at L2 or above is ready. */
    static int run(Layout layout, Map<String, String> env, PrintStream out, boolean json, boolean fix) {
        Doctor doctor = new Doctor(env, layout.home());
        if (fix && doctor.fixBwrap(json ? System.err : out)) {
            doctor = new Doctor(env, layout.home());
        }
        List<Finding> findings = doctor.check();
        if (json) {
            out.println(json(findings));
        } else {
            print(findings, out);
            if (anyIsolating(findings)) {
                out.println("ready: sandboxes at L2 or above can run here ('crustyclaw sandbox list' once the daemon runs)");
            } else {
                out.println("not ready: no backend at L2 or above; run the commands above as root"
                        + (doctor.root ? "" : ", or 'crustyclaw doctor --fix' as root for bwrap"));
            }
        }
        return anyIsolating(findings) ? Main.OK : Main.FAILED;
    }

    static void print(List<Finding> findings, PrintStream out) {
        for (Finding f : findings) {
            out.printf("%-13s %-3s %s%n", f.backend(), f.level(), f.ready() ? "ready" : "not ready");
            for (String m : f.missing()) {
                out.println("    " + (f.ready() ? "note: " : "needs: ") + m);
            }
            for (String c : f.fix()) {
                out.println("    run as root: " + c);
            }
        }
    }

    static String json(List<Finding> findings) {
        StringBuilder b = new StringBuilder("{\"ready\":").append(anyIsolating(findings)).append(",\"backends\":[");
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            b.append(i == 0 ? "" : ",").append("{\"backend\":\"").append(f.backend()).append("\",\"level\":\"")
                    .append(f.level()).append("\",\"ready\":").append(f.ready()).append(",\"missing\":").append(array(f.missing()))
                    .append(",\"fix\":").append(array(f.fix())).append('}');
        }
        return b.append("]}").toString();
    }

    private static String array(List<String> items) {
        return items.stream().map(Doctor::quote).collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    private Optional<Path> onPath(String name) {
        for (String dir : env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The command's output (both streams) when it exits 0 within a minute; empty otherwise. */
    private static Optional<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] output;
            try (InputStream in = p.getInputStream()) {
                output = in.readNBytes(1 << 16);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(output, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The body of a 200 answer to {@code GET path} on dockerd's Unix socket; empty otherwise. */
    static Optional<String> get(Path socket, String path) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            byte[] answer = Channels.newInputStream(ch).readNBytes(4 << 20);
            String text = new String(answer, StandardCharsets.UTF_8);
            int body = text.indexOf("\r\n\r\n");
            return text.startsWith("HTTP/1.") && text.substring(9).startsWith("200") && body > 0
                    ? Optional.of(text.substring(body + 4)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
