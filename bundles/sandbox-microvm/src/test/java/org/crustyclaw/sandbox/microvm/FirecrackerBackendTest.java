package org.crustyclaw.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firecracker backend: its availability reasons, and its whole host-side flow with
 * {@link FakeFirecracker} as the binary (API over the socket, then the real guest booted by
 * QEMU on the fake's stdio, as Firecracker would boot it under KVM).
 */
class FirecrackerBackendTest {

    @TempDir
    Path temp;
    private final Settings assets = Settings.defaults();

    private FirecrackerBackend backend(Optional<Path> binary, Path kvm) {
        return new FirecrackerBackend(new FirecrackerBackend.Options(binary, assets.kernel(), assets.initramfs(),
                Duration.ofSeconds(60), kvm));
    }

    @Test
    void withoutABinaryItIsUnavailableAndSaysHowToGetOne() {
        FirecrackerBackend fc = backend(Optional.empty(), Path.of("/dev/kvm"));
        assumeTrue(fc.binary().isEmpty(), "a firecracker binary is on PATH here");
        assertThat(fc.name()).isEqualTo("firecracker");
        assertThat(fc.level()).isEqualTo(IsolationLevel.L3);
        assertThat(fc.unavailableBecause()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("no firecracker binary on PATH", "not in Debian's packages",
                        "[sandbox.microvm] firecracker = "));
    }

    @Test
    void aConfiguredPathThatIsNoProgramIsNamed() throws Exception {
        Path notExecutable = Files.writeString(temp.resolve("firecracker"), "text");
        assertThat(backend(Optional.of(notExecutable), Path.of("/dev/kvm")).unavailableBecause())
                .contains("configured firecracker " + notExecutable + " is not an executable file");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend(Optional.of(Path.of("bin/fc")),
                Path.of("/dev/kvm"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bin/fc' is not an absolute path");
    }

    @Test
    void withoutKvmItIsUnavailable() throws Exception {
        assumeAssets();
        Path noKvm = temp.resolve("no-kvm");
        assertThat(backend(Optional.of(fakeBinary(temp.resolve("log"))), noKvm).unavailableBecause())
                .contains("no " + noKvm + ": Firecracker needs KVM (hardware virtualisation)");
    }

    @Test
    void runsACommandThroughTheApiAndCopiesTheWorkspaceBack() throws Exception {
        assumeAssets();
        Path apiLog = temp.resolve("api-requests.log");
        Path kvm = Files.writeString(temp.resolve("kvm"), ""); // the probe below is the real test of "KVM"
        FirecrackerBackend fc = backend(Optional.of(fakeBinary(apiLog)), kvm);
        try {
            assertThat(fc.unavailableBecause()).as("the probe VM booted through the API").isEmpty();
            assertThat(Files.readString(apiLog)).as("the probe boots without a workspace disk")
                    .contains("PUT /actions HTTP/1.1").doesNotContain("PUT /drives/");
            Files.delete(apiLog);

            Path ws = Files.createDirectory(temp.resolve("ws"));
            Files.writeString(ws.resolve("input.txt"), "from host\n");
            Files.writeString(ws.resolve("gone.txt"), "x\n");
            MicrovmBackendTest.ownByUnprivilegedUser(ws);
            MicrovmBackendTest.ownByUnprivilegedUser(ws.resolve("input.txt"));
            MicrovmBackendTest.ownByUnprivilegedUser(ws.resolve("gone.txt"));
            List<OutputLine> lines = new CopyOnWriteArrayList<>();
            ExecResult result = fc.run(new SandboxSpec(List.of("/bin/sh", "-c",
                    "cat input.txt; echo \"$GREETING\"; echo oops >&2; echo made > made.txt; rm gone.txt; exit 7"),
                    ws, Map.of("GREETING", "hi"), ResourceLimits.DEFAULT.withTimeout(Duration.ofSeconds(30)),
                    "base"), lines::add);

            assertThat(result.ending()).as("%s %s", result, lines).isEqualTo(ExecResult.Ending.EXITED);
            assertThat(result.exitCode()).isEqualTo(7);
            assertThat(lines).containsSubsequence(new OutputLine(OutputLine.Stream.STDOUT, "from host"),
                    new OutputLine(OutputLine.Stream.STDOUT, "hi"));
            assertThat(lines).contains(new OutputLine(OutputLine.Stream.STDERR, "oops"));
            assertThat(Files.readString(ws.resolve("made.txt"))).isEqualTo("made\n");
            assertThat(ws.resolve("gone.txt")).doesNotExist();

            String api = Files.readString(apiLog);
            String prefix = "PUT /machine-config HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 47\r\n\r\n"
                    + "{\"vcpu_count\":1,\"mem_size_mib\":256,\"smt\":false}PUT /boot-source HTTP/1.1\r\n";
            assertThat(api).startsWith(prefix);
            assertThat(api).contains("\"boot_args\":\"quiet panic=-1 reboot=k pci=off i8042.noaux i8042.nomux "
                    + "i8042.nopnp i8042.dumbkbd crustyclaw.channel=ttyS0 crustyclaw.ws_disk=vda crustyclaw.ws64=");
            assertThat(api).doesNotContain("console=ttyS0");
            assertThat(api).containsPattern("PUT /drives/workspace HTTP/1\\.1\r\nHost: localhost\r\n"
                    + "Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: \\d+\r\n\r\n"
                    + "\\{\"drive_id\":\"workspace\",\"path_on_host\":\"/[^\"]+/workspace\\.ext4\","
                    + "\"is_root_device\":false,\"is_read_only\":false\\}");
            String start = "PUT /actions HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 31\r\n\r\n{\"action_type\":\"InstanceStart\"}";
            // a guest slower than the grace to power off (a loaded host under TCG) gets Firecracker's stop request
            String stop = "PUT /actions HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 32\r\n\r\n{\"action_type\":\"SendCtrlAltDel\"}";
            assertThat(api.endsWith(start) || api.endsWith(start + stop)).as(api).isTrue();
        } finally {
            fc.deactivate();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList())
                .as("no firecracker or QEMU left running").isEmpty();
    }

    private void assumeAssets() {
        assumeTrue(Files.isReadable(assets.kernel()) && Files.isReadable(assets.initramfs())
                && Files.isExecutable(assets.qemu()) && DiskWorkspace.unavailableBecause().isEmpty(),
                "QEMU, the guest assets and e2fsprogs are needed");
    }

    /** A "firecracker" executable that runs {@link FakeFirecracker} from the test class path. */
    private Path fakeBinary(Path apiLog) throws Exception {
        Path script = temp.resolve("bin/firecracker");
        Files.createDirectories(script.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\nexport FAKE_FIRECRACKER_LOG='" + apiLog + "'\nexec '" + java
                + "' -cp '" + System.getProperty("java.class.path") + "' " + FakeFirecracker.class.getName()
                + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
