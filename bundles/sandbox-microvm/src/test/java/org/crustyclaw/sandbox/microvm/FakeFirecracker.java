package org.crustyclaw.sandbox.microvm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only stand-in for the firecracker binary, for hosts without Firecracker or KVM. It
 * serves Firecracker's API (swagger src/firecracker/swagger/firecracker.yaml; responses as
 * micro_http writes them) on {@code --api-sock}, validates each request strictly (request line,
 * headers, Content-Length, JSON fields of the swagger definitions, unknown fields refused as
 * Firecracker's serde deny_unknown_fields does) and appends its raw bytes to the file named by
 * {@code FAKE_FIRECRACKER_LOG}. On InstanceStart it boots the configured kernel, initrd and
 * drives in QEMU (TCG) with the guest's ttyS0 on this process's own stdin and stdout, as
 * Firecracker does, and exits when QEMU does (Firecracker exits on a guest reset).
 * SendCtrlAltDel resets the QEMU guest through its monitor.
 */
public final class FakeFirecracker {

    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|PUT|PATCH) (/[!-~]*) HTTP/1\\.1");
    private static final Set<String> MACHINE = Set.of("vcpu_count", "mem_size_mib", "smt", "track_dirty_pages",
            "cpu_template", "huge_pages");
    private static final Set<String> BOOT = Set.of("kernel_image_path", "initrd_path", "boot_args");
    private static final Set<String> DRIVE = Set.of("drive_id", "partuuid", "is_root_device", "cache_type",
            "is_read_only", "path_on_host", "rate_limiter", "io_engine", "socket");

    private final Path log;
    private final Path runDir;
    private final Map<String, Object> machine = new LinkedHashMap<>(Map.of("vcpu_count", 1L, "mem_size_mib", 128L));
    private Map<String, Object> boot;
    private final Map<String, Map<String, Object>> drives = new LinkedHashMap<>();
    private Process qemu;
    private final String id;

    FakeFirecracker(Path log, Path runDir, String id) {
        this.log = log;
        this.runDir = runDir;
        this.id = id;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("fake firecracker: bad arguments " + List.of(args));
                System.exit(2);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        Path socket = Path.of(opts.getOrDefault("api-sock", "/run/firecracker.socket"));
        if (opts.containsKey("log-path") && !Files.exists(Path.of(opts.get("log-path")))) {
            System.err.println("fake firecracker: log path does not exist"); // Firecracker opens, never creates it
            System.exit(1);
        }
        String logName = System.getenv("FAKE_FIRECRACKER_LOG");
        FakeFirecracker fake = new FakeFirecracker(logName == null ? null : Path.of(logName),
                socket.toAbsolutePath().getParent(), opts.getOrDefault("id", "anonymous-instance"));
        fake.serve(socket, connection -> {});
    }

    /** Serves the API until the process ends; each accepted connection is also handed to {@code accepted}. */
    void serve(Path socket, Consumer<SocketChannel> accepted) throws IOException {
        serve(socket, () -> {}, accepted);
    }

    /** @param listening runs once the socket is bound, so a client may connect */
    void serve(Path socket, Runnable listening, Consumer<SocketChannel> accepted) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            listening.run();
            while (true) {
                SocketChannel connection = server.accept();
                accepted.accept(connection);
                try (connection) {
                    handle(Channels.newInputStream(connection), Channels.newOutputStream(connection));
                } catch (IOException e) {
                    // the client went away
                }
            }
        }
    }

    /** One keep-alive connection: requests until the client closes it. */
    void handle(InputStream in, OutputStream out) throws IOException {
        while (true) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            String head = readHead(in, raw);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n", -1);
            Matcher m = REQUEST_LINE.matcher(lines[0]);
            int length = 0;
            String problem = m.matches() ? null : "bad request line '" + lines[0] + "'";
            boolean hasType = false;
            for (int i = 1; i < lines.length && problem == null; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0 || lines[i].charAt(colon + 1) != ' ') {
                    problem = "bad header line '" + lines[i] + "'";
                    break;
                }
                String name = lines[i].substring(0, colon);
                String value = lines[i].substring(colon + 2);
                switch (name.toLowerCase()) {
                    case "content-length" -> length = Integer.parseInt(value);
                    case "content-type", "accept" -> {
                        if (!value.equals("application/json") && !value.equals("text/plain")) {
                            problem = "unsupported media type '" + value + "' in " + name;
                        }
                        hasType |= name.equalsIgnoreCase("content-type");
                    }
                    case "host" -> {
                        if (!value.equals("localhost")) {
                            problem = "unexpected Host '" + value + "'";
                        }
                    }
                    default -> problem = "header " + name + " not expected from the CrustyClaw client";
                }
            }
            byte[] body = in.readNBytes(length);
            raw.write(body);
            record(raw.toByteArray());
            if (body.length != length) {
                return;
            }
            if (problem == null && length > 0 && !hasType) {
                problem = "a body without Content-Type";
            }
            if (problem != null) {
                respond(out, 400, fault(problem));
                continue;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            try {
                Result r = route(m.group(1), m.group(2), text);
                respond(out, r.status(), r.body());
            } catch (IllegalArgumentException e) {
                respond(out, 400, fault(e.getMessage()));
            }
        }
    }

    record Result(int status, String body) {}

    private synchronized Result route(String method, String path, String body) throws IOException {
        if (method.equals("GET") && path.equals("/")) {
            return new Result(200, Json.write(new LinkedHashMap<>(Map.of("id", id, "state",
                    qemu == null ? "Not started" : "Running", "vmm_version", "1.13.0-fake", "app_name",
                    "Firecracker"))));
        }
        if (!method.equals("PUT")) {
            throw new IllegalArgumentException("Invalid request method and/or path: " + method + " " + path);
        }
        Map<String, Object> json = Json.parseObject(body);
        if (qemu != null && !path.equals("/actions")) {
            throw new IllegalArgumentException("The requested operation is not supported after starting the microVM.");
        }
        switch (path) {
            case "/machine-config" -> {
                fields(json, MACHINE, "vcpu_count", "mem_size_mib");
                long vcpus = (Long) json.get("vcpu_count");
                if (vcpus < 1 || vcpus > 32) {
                    throw new IllegalArgumentException("The vCPU number is invalid! The vCPU number can only be 1 or an "
                            + "even number when SMT is enabled.");
                }
                machine.putAll(json);
            }
            case "/boot-source" -> {
                fields(json, BOOT, "kernel_image_path");
                if (!Files.isReadable(Path.of((String) json.get("kernel_image_path")))) {
                    throw new IllegalArgumentException("Invalid kernel path: " + json.get("kernel_image_path"));
                }
                boot = json;
            }
            case "/actions" -> {
                fields(json, Set.of("action_type"), "action_type");
                switch (String.valueOf(json.get("action_type"))) {
                    case "InstanceStart" -> startGuest();
                    case "SendCtrlAltDel" -> resetGuest();
                    case "FlushMetrics" -> { }
                    default -> throw new IllegalArgumentException("unknown variant `" + json.get("action_type")
                            + "`, expected one of `FlushMetrics`, `InstanceStart`, `SendCtrlAltDel`");
                }
            }
            default -> {
                if (!path.startsWith("/drives/")) {
                    throw new IllegalArgumentException("Invalid request method and/or path: PUT " + path);
                }
                fields(json, DRIVE, "drive_id", "is_root_device");
                if (!path.substring(8).equals(json.get("drive_id"))) {
                    throw new IllegalArgumentException("The id from the path does not match the id from the body!");
                }
                drives.put(path.substring(8), json);
            }
        }
        return new Result(204, null);
    }

    private static void fields(Map<String, Object> json, Set<String> known, String... required) {
        for (String key : json.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown field `" + key + "`, expected one of " + known);
            }
        }
        for (String key : required) {
            if (!json.containsKey(key)) {
                throw new IllegalArgumentException("missing field `" + key + "`");
            }
        }
    }

    private void startGuest() throws IOException {
        if (boot == null) {
            throw new IllegalArgumentException("Cannot start microvm without kernel configuration.");
        }
        String khz = Files.readString(Path.of("/var/lib/crustyclaw/microvm/tsc_khz")).trim();
        List<String> argv = new ArrayList<>(List.of("/usr/bin/qemu-system-x86_64",
                "-M", "microvm,x-option-roms=off,isa-serial=on", "-accel", "tcg", "-nodefaults", "-no-user-config",
                "-m", machine.get("mem_size_mib").toString(), "-smp", machine.get("vcpu_count").toString(),
                "-no-reboot", "-display", "none", "-nic", "none",
                // Firecracker emulates an i8042 whose reset line ends the VM (boot_args say reboot=k)
                "-device", "i8042",
                "-kernel", (String) boot.get("kernel_image_path"),
                // what Firecracker's KVM does not need but TCG does (see STACK.md)
                "-append", boot.getOrDefault("boot_args", "") + " tsc_early_khz=" + khz + " tsc=reliable no_timer_check",
                "-chardev", "stdio,id=ttyS0,signal=off", "-serial", "chardev:ttyS0",
                "-monitor", "unix:" + runDir.resolve("fake-monitor.sock") + ",server=on,wait=off"));
        if (boot.get("initrd_path") != null) {
            argv.addAll(List.of("-initrd", (String) boot.get("initrd_path")));
        }
        for (Map<String, Object> drive : drives.values()) {
            String readOnly = Boolean.TRUE.equals(drive.get("is_read_only")) ? ",readonly=on" : "";
            argv.addAll(List.of("-drive", "file=" + drive.get("path_on_host") + ",format=raw,if=none,id="
                    + drive.get("drive_id") + readOnly, "-device", "virtio-blk-device,drive=" + drive.get("drive_id")));
        }
        qemu = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(runDir.resolve("fake-qemu.log").toFile()).start();
        Process started = qemu;
        Thread exit = new Thread(() -> {
            try {
                System.exit(started.waitFor() == 0 ? 0 : 1);
            } catch (InterruptedException e) {
                System.exit(1);
            }
        });
        exit.start();
    }

    private void resetGuest() throws IOException {
        if (qemu == null) {
            throw new IllegalArgumentException("The microVM is not running.");
        }
        try (SocketChannel monitor = SocketChannel.open(UnixDomainSocketAddress.of(runDir.resolve("fake-monitor.sock")))) {
            monitor.write(java.nio.ByteBuffer.wrap("system_reset\n".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private void record(byte[] raw) throws IOException {
        if (log != null) {
            Files.write(log, raw, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static String fault(String message) {
        return Json.write(Map.of("fault_message", message));
    }

    /** As micro_http writes a response: no reason phrase, Server and Connection first. */
    static void respond(OutputStream out, int status, String body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" \r\n")
                .append("Server: Firecracker API\r\n").append("Connection: keep-alive\r\n");
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(bytes.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String readHead(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            raw.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return new String(h, 0, n - 4, StandardCharsets.US_ASCII);
            }
            if (n > 16384) {
                throw new IOException("request head too long");
            }
        }
        return null;
    }
}
