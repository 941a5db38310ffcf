package org.crustyclaw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {

    @TempDir
    Path tmp;

    @Test
    void aHostWithoutBubblewrapIsToldTheExactPackageToInstall() {
        Doctor.Finding bwrap = new Doctor(Map.of("PATH", tmp.toString()), tmp).bwrap();
        assumeTrue(!Files.isExecutable(Path.of("/usr/bin/bwrap")), "this host has /usr/bin/bwrap (the doctor looks there too)");
        assertThat(bwrap.ready()).isFalse();
        assertThat(bwrap.missing()).anyMatch(m -> m.contains("package bubblewrap"));
        assertThat(bwrap.fix()).contains("apt-get update && apt-get install -y bubblewrap");
    }

    @Test
    void aDockerSocketNobodyAnswersNamesTheSocketAndHowToStartDockerd() {
        Path socket = tmp.resolve("docker.sock");
        Doctor.Finding runc = new Doctor(Map.of("DOCKER_HOST", "unix://" + socket), tmp).dockerRunc();
        assertThat(runc.ready()).isFalse();
        assertThat(runc.missing()).anyMatch(m -> m.contains("running dockerd answering on " + socket));
        assertThat(runc.fix()).anyMatch(c -> c.startsWith("setsid dockerd"));
        Doctor.Finding tcp = new Doctor(Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375"), tmp).dockerRunsc();
        assertThat(tcp.missing()).anyMatch(m -> m.contains("DOCKER_HOST is tcp://10.0.0.1:2375"));
    }

    @Test
    void readsDockerdsAnswerOverItsUnixSocket() throws Exception {
        Path socket = tmp.resolve("d.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(4096);
                    String seen = "";
                    while (!seen.contains("\r\n\r\n") && c.read(in) >= 0) {
                        seen = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    }
                    c.write(ByteBuffer.wrap("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"Runtimes\":{\"runsc\":{}}}"
                            .getBytes(StandardCharsets.US_ASCII)));
                    return seen;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(Doctor.get(socket, "/info")).hasValue("{\"Runtimes\":{\"runsc\":{}}}");
            assertThat(request.get(30, TimeUnit.SECONDS)).startsWith("GET /info HTTP/1.0\r\n");
        }
        assertThat(Doctor.get(tmp.resolve("none.sock"), "/info")).isEmpty();
    }

    @Test
    void thisHostsBwrapIsReadyWhenItsPackageIsInstalled() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is not installed here");
        Doctor.Finding bwrap = new Doctor(System.getenv(), tmp).bwrap();
        assertThat(bwrap.ready()).as("%s", bwrap).isTrue();
        assertThat(bwrap.fix()).isEmpty();
    }

    @Test
    void jsonListsEveryBackendWithWhatItNeeds() {
        List<Doctor.Finding> findings = List.of(
                new Doctor.Finding("bwrap", "L2", false, List.of("the bwrap binary \"x\"\nnext"), List.of("apt-get install -y bubblewrap")),
                new Doctor.Finding("docker-runc", "L1", true, List.of(), List.of()));
        assertThat(Doctor.anyIsolating(findings)).as("an L1 backend does not make the host ready").isFalse();
        assertThat(Doctor.json(findings)).isEqualTo("{\"ready\":false,\"backends\":["
                + "{\"backend\":\"bwrap\",\"level\":\"L2\",\"ready\":false,\"missing\":[\"the bwrap binary \\\"x\\\"\\nnext\"],"
                + "\"fix\":[\"apt-get install -y bubblewrap\"]},"
                + "{\"backend\":\"docker-runc\",\"level\":\"L1\",\"ready\":true,\"missing\":[],\"fix\":[]}]}");
    }

    @Test
    void theVerbHasHelpAndRefusesUnknownOptions() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(Main.run(List.of("doctor", "--help"), print, print)).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: crustyclaw doctor [--fix] [--json]", "--fix");
        assertThatThrownBy(() -> Main.run(List.of("doctor", "--fixx"), print, print))
                .isInstanceOf(Main.UsageException.class).hasMessage("'doctor' does not take '--fixx'; it takes --json, --fix");
    }
}
