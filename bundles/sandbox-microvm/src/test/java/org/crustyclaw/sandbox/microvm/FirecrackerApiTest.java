package org.crustyclaw.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.sandbox.SandboxException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API client against {@link FakeFirecracker}'s server, which speaks Firecracker's wire format. */
class FirecrackerApiTest {

    @TempDir
    Path temp;
    private Path socket;
    private Path log;
    private Thread server;
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private FirecrackerApi api;

    @BeforeEach
    void startServer() throws Exception {
        socket = temp.resolve("api.sock");
        log = temp.resolve("requests.log");
        FakeFirecracker fake = new FakeFirecracker(log, temp, "test-vm");
        CompletableFuture<Void> listening = new CompletableFuture<>();
        server = new Thread(() -> {
            try {
                fake.serve(socket, () -> listening.complete(null), connections::add);
            } catch (java.io.IOException e) {
                listening.completeExceptionally(e); // a failed bind fails the test; after it, closed at the end
            }
        });
        server.setDaemon(true);
        server.start();
        listening.get(60, TimeUnit.SECONDS);
        api = new FirecrackerApi(socket, Duration.ofSeconds(5));
    }

    @AfterEach
    void stopServer() {
        server.interrupt();
    }

    @Test
    void configurationCallsSendExactlyTheBytesOfTheSwagger() throws Exception {
        Path kernel = Files.writeString(temp.resolve("vmlinux"), "k");
        api.putMachineConfig(2, 256);
        api.putBootSource(kernel, Path.of("/g/initramfs.cpio.gz"), "quiet crustyclaw.channel=ttyS0");
        api.putDrive("workspace", Path.of("/run/vm-1/workspace.ext4"), false);
        FirecrackerApi.InstanceInfo info = api.describeInstance();

        String boot = "{\"kernel_image_path\":\"" + kernel + "\",\"initrd_path\":\"/g/initramfs.cpio.gz\","
                + "\"boot_args\":\"quiet crustyclaw.channel=ttyS0\"}";
        String drive = "{\"drive_id\":\"workspace\",\"path_on_host\":\"/run/vm-1/workspace.ext4\","
                + "\"is_root_device\":false,\"is_read_only\":false}";
        String expected = "PUT /machine-config HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                + "Content-Type: application/json\r\nContent-Length: 47\r\n\r\n"
                + "{\"vcpu_count\":2,\"mem_size_mib\":256,\"smt\":false}"
                + "PUT /boot-source HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + boot.length() + "\r\n\r\n" + boot
                + "PUT /drives/workspace HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + drive.length() + "\r\n\r\n" + drive
                + "GET / HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n";
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(info).isEqualTo(new FirecrackerApi.InstanceInfo("test-vm", "Not started", "1.13.0-fake",
                "Firecracker"));
    }

    @Test
    void aFaultMessageBecomesAnErrorNamingTheCall() {
        assertThatThrownBy(() -> api.putBootSource(temp.resolve("missing-vmlinux"), Path.of("/i"), "quiet"))
                .isInstanceOf(SandboxException.class)
                .hasMessage("Firecracker API PUT /boot-source failed with status 400: Invalid kernel path: "
                        + temp.resolve("missing-vmlinux"));
        assertThatThrownBy(api::instanceStart).isInstanceOf(SandboxException.class)
                .hasMessage("Firecracker API PUT /actions failed with status 400: "
                        + "Cannot start microvm without kernel configuration.");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyCall() throws Exception {
        assertThatThrownBy(() -> api.putMachineConfig(33, 256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vcpu_count 33");
        assertThatThrownBy(() -> api.putDrive("../etc", Path.of("/x"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drive id '../etc'");
        assertThat(log).doesNotExist();
    }

    @Test
    void aSilentServerEndsTheCallAtItsTimeout() throws Exception {
        Path silent = temp.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(silent));
            FirecrackerApi impatient = new FirecrackerApi(silent, Duration.ofMillis(300));
            assertThatThrownBy(impatient::sendCtrlAltDel).isInstanceOf(SandboxException.class)
                    .hasMessage("Firecracker API PUT /actions: no answer from Firecracker within 300 ms");
        }
    }

    @Test
    void noServerIsAClearError() {
        FirecrackerApi nowhere = new FirecrackerApi(temp.resolve("none.sock"), Duration.ofSeconds(1));
        assertThatThrownBy(nowhere::describeInstance).isInstanceOf(SandboxException.class)
                .hasMessageContaining("Firecracker API GET /: cannot talk to Firecracker on " + temp.resolve("none.sock"));
    }

    @Test
    void responsesAreReadAsMicroHttpWritesThem() throws Exception {
        byte[] noContent = "HTTP/1.1 204 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(FirecrackerApi.complete(noContent, "x")).isEqualTo(new FirecrackerApi.Response(204, ""));
        byte[] partial = "HTTP/1.1 400 \r\nContent-Length: 10\r\n\r\n{\"a\"".getBytes(StandardCharsets.US_ASCII);
        assertThat(FirecrackerApi.complete(partial, "x")).isNull();
        assertThatThrownBy(() -> FirecrackerApi.complete("SSH-2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "GET /"))
                .isInstanceOf(SandboxException.class).hasMessageContaining("GET /: not an HTTP/1.1 status line");
    }

    @Test
    void jsonStringsAreEscaped() {
        String nasty = "a\"b\\c\nd\u0001e\u00e9";
        String json = Json.write(Map.of("boot_args", nasty));
        assertThat(json).isEqualTo("{\"boot_args\":\"a\\\"b\\\\c\\nd\\u0001e\u00e9\"}");
        assertThat(Json.parseObject(json)).containsEntry("boot_args", nasty);
        assertThatThrownBy(() -> Json.parseObject("{\"a\":tru}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid JSON at offset").hasMessageContaining("'tru'");
        assertThatThrownBy(() -> Json.parseObject("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> Json.parseObject("{\"a\":1} {}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset");
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a JSON object at offset 0, found '['");
        assertThat(Json.parseObject("{\"n\":7,\"f\":1.5,\"l\":[true,null]}")).containsEntry("n", 7L)
                .containsEntry("f", 1.5).containsEntry("l", java.util.Arrays.asList(true, null));
    }
}
