package org.crustyclaw.sandbox.microvm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.crustyclaw.api.sandbox.SandboxException;

/**
 * A client of the Firecracker API (its swagger, src/firecracker/swagger/firecracker.yaml):
 * HTTP/1.1 over the Unix socket given to {@code firecracker --api-sock}, one connection per
 * call, JSON bodies. Every call has a deadline; an error status becomes a
 * {@link SandboxException} naming the call and Firecracker's {@code fault_message}.
 */
final class FirecrackerApi {

    /** What {@code GET /} reports. */
    record InstanceInfo(String id, String state, String vmmVersion, String appName) {}

    static final Pattern DRIVE_ID = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final int MAX_HEAD = 16 * 1024;
    private static final int MAX_BODY = 1 << 20;

    private final Path socket;
    private final Duration timeout;

    FirecrackerApi(Path socket, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("API timeout must be positive: " + timeout);
        }
        this.socket = socket;
        this.timeout = timeout;
    }

    /** {@code PUT /boot-source}: an uncompressed kernel, its initrd and the kernel command line. */
    void putBootSource(Path kernel, Path initrd, String bootArgs) throws SandboxException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kernel_image_path", kernel.toString());
        body.put("initrd_path", initrd.toString());
        body.put("boot_args", bootArgs);
        put("/boot-source", body);
    }

    /** {@code PUT /machine-config}: vCPUs (1 to 32) and memory, without SMT. */
    void putMachineConfig(int vcpus, int memoryMib) throws SandboxException {
        if (vcpus < 1 || vcpus > 32) {
            throw new IllegalArgumentException("vcpu_count " + vcpus + " is not between 1 and 32");
        }
        if (memoryMib < 1) {
            throw new IllegalArgumentException("mem_size_mib must be positive: " + memoryMib);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vcpu_count", vcpus);
        body.put("mem_size_mib", memoryMib);
        body.put("smt", false);
        put("/machine-config", body);
    }

    /** {@code PUT /drives/{drive_id}}: a virtio-blk disk backed by a host file, never the root device. */
    void putDrive(String driveId, Path pathOnHost, boolean readOnly) throws SandboxException {
        if (!DRIVE_ID.matcher(driveId).matches()) {
            throw new IllegalArgumentException("drive id '" + driveId + "' is not 1-64 of [A-Za-z0-9_]");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("drive_id", driveId);
        body.put("path_on_host", pathOnHost.toString());
        body.put("is_root_device", false);
        body.put("is_read_only", readOnly);
        put("/drives/" + driveId, body);
    }

    /** {@code PUT /actions InstanceStart}: boots the configured guest. */
    void instanceStart() throws SandboxException {
        put("/actions", Map.of("action_type", "InstanceStart"));
    }

    /** {@code PUT /actions SendCtrlAltDel}: the guest's init reboots, and Firecracker exits on the reset. */
    void sendCtrlAltDel() throws SandboxException {
        put("/actions", Map.of("action_type", "SendCtrlAltDel"));
    }

    /** {@code GET /}. */
    InstanceInfo describeInstance() throws SandboxException {
        Response r = call("GET", "/", null);
        Map<String, Object> json = parse("GET /", r.body());
        return new InstanceInfo(text(json, "id"), text(json, "state"), text(json, "vmm_version"),
                text(json, "app_name"));
    }

    private void put(String path, Map<String, Object> body) throws SandboxException {
        Response r = call("PUT", path, Json.write(body));
        if (r.status() != 204 && r.status() != 200) {
            throw new SandboxException("Firecracker API PUT " + path + " answered " + r.status() + " instead of 204");
        }
    }

    /** The exact request bytes of one call: what Firecracker's micro_http parses. */
    static byte[] request(String method, String path, String jsonBody) {
        StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n").append("Accept: application/json\r\n");
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    record Response(int status, String body) {}

    private Response call(String method, String path, String jsonBody) throws SandboxException {
        String what = "Firecracker API " + method + " " + path;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(request(method, path, jsonBody));
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(selector, deadline, what);
                channel.write(out);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            Response response;
            while ((response = complete(in.toByteArray(), what)) == null) {
                await(selector, deadline, what);
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    throw new SandboxException(what + ": Firecracker closed the connection before a whole response");
                }
                in.write(buffer.array(), 0, n);
            }
            if (response.status() >= 300) {
                throw new SandboxException(what + " failed with status " + response.status() + ": " + fault(response));
            }
            return response;
        } catch (IOException e) {
            throw new SandboxException(what + ": cannot talk to Firecracker on " + socket + ": " + e.getMessage(), e);
        }
    }

    private void await(Selector selector, long deadline, String what) throws IOException, SandboxException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && deadline - System.nanoTime() <= 0) {
            throw new SandboxException(what + ": no answer from Firecracker within " + timeout.toMillis() + " ms");
        }
        selector.selectedKeys().clear();
    }

    /** The response once {@code bytes} hold all of it, else null. */
    static Response complete(byte[] bytes, String what) throws SandboxException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            if (bytes.length > MAX_HEAD) {
                throw new SandboxException(what + ": response head longer than " + MAX_HEAD + " bytes");
            }
            return null;
        }
        String[] lines = text.substring(0, end).split("\r\n");
        // micro_http writes "HTTP/1.1 204 " with no reason phrase
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].equals("HTTP/1.1") || !status[1].matches("[1-5][0-9][0-9]")) {
            throw new SandboxException(what + ": not an HTTP/1.1 status line: '" + shorten(lines[0]) + "'");
        }
        long length = 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                throw new SandboxException(what + ": malformed header line '" + shorten(lines[i]) + "'");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                if (!value.matches("[0-9]{1,9}") || Long.parseLong(value) > MAX_BODY) {
                    throw new SandboxException(what + ": Content-Length '" + shorten(value) + "' is not 0 to "
                            + MAX_BODY);
                }
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && !value.equalsIgnoreCase("identity")) {
                throw new SandboxException(what + ": unsupported Transfer-Encoding '" + shorten(value) + "'");
            }
        }
        int bodyStart = end + 4;
        if (bytes.length < bodyStart + length) {
            return null;
        }
        String body = new String(bytes, bodyStart, (int) length, StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(status[1]), body);
    }

    private static String fault(Response response) {
        try {
            Object message = Json.parseObject(response.body()).get("fault_message");
            if (message instanceof String s) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // not the documented Error body: show it as it came
        }
        return response.body().isBlank() ? "(no body)" : shorten(response.body());
    }

    private static Map<String, Object> parse(String what, String body) throws SandboxException {
        try {
            return Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            throw new SandboxException("Firecracker API " + what + ": " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> json, String key) throws SandboxException {
        if (json.get(key) instanceof String s) {
            return s;
        }
        throw new SandboxException("Firecracker API GET /: no string '" + key + "' in the instance info");
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
