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
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest path Firecracker uses, booted for real under QEMU TCG: the agent on ttyS0 (a
 * Unix socket chardev here, Firecracker's stdio there), the workspace as an ext4 image on a
 * virtio-blk disk, copied back after the command. Only the VMM differs from Firecracker.
 */
class DiskGuestTest {

    @TempDir
    Path temp;

    @Test
    void aCommandOnTheSerialChannelChangesTheWorkspaceDiskAndTheChangesComeBack() throws Exception {
        Settings settings = Settings.defaults();
        assumeTrue(Files.isReadable(settings.kernel()) && Files.isExecutable(settings.qemu())
                && DiskWorkspace.unavailableBecause().isEmpty(), "QEMU, the guest assets and e2fsprogs are needed");
        Path workspace = Files.createDirectory(temp.resolve("ws"));
        Files.writeString(workspace.resolve("input.txt"), "from host\n");
        Files.writeString(workspace.resolve("doomed.txt"), "delete me\n");
        Files.createDirectories(workspace.resolve("keep/nested"));
        Files.writeString(workspace.resolve("keep/nested/old.txt"), "old\n");
        MicrovmBackendTest.ownByUnprivilegedUser(workspace);
        for (Path p : List.of(workspace.resolve("input.txt"), workspace.resolve("doomed.txt"),
                workspace.resolve("keep"), workspace.resolve("keep/nested"), workspace.resolve("keep/nested/old.txt"))) {
            MicrovmBackendTest.ownByUnprivilegedUser(p);
        }
        Path runDir = temp.resolve("run");
        DiskWorkspace disk = DiskWorkspace.create(workspace, runDir.resolve("workspace.ext4"), 16L << 20);
        OptionalLong khz = OptionalLong.of(Long.parseLong(
                Files.readString(settings.kernel().resolveSibling("tsc_khz")).trim()));
        QemuCommandLine line = new QemuCommandLine(settings.qemu(), settings.kernel(), settings.initramfs(), "tcg",
                256, 1, workspace, runDir, khz, Optional.of(disk));
        List<OutputLine> lines = new CopyOnWriteArrayList<>();

        ExecResult result;
        try (MicroVm vm = MicroVm.boot("disk-test", line, Duration.ofSeconds(60),
                ResourceLimits.DEFAULT.withTimeout(Duration.ofSeconds(30)))) {
            result = vm.exec(List.of("/bin/sh", "-c", String.join("\n",
                    "pwd; cat input.txt; grep -c '^/dev/vda ' /proc/mounts; ls /sys/class/virtio-ports | wc -l",
                    "echo err >&2",
                    "echo from guest > output.txt; rm doomed.txt; echo changed > keep/nested/old.txt",
                    "mkdir -p new/deeper; printf 'a\\nb\\n' > new/deeper/f.txt; ln -s ../input.txt new/link",
                    "echo x > suid; chmod 4755 suid",
                    "head -c 90000 /dev/urandom | base64 -w0 | head -c 60000; echo",
                    "exit 4")), Map.of(), lines::add);
        }

        List<String> out = lines.stream().filter(l -> l.stream() == OutputLine.Stream.STDOUT)
                .map(OutputLine::text).toList();
        assertThat(result.ending()).as("%s %s", result, lines).isEqualTo(ExecResult.Ending.EXITED);
        assertThat(result.exitCode()).isEqualTo(4);
        // the workspace is the disk, at the host path; no virtio-serial port exists in this guest
        assertThat(out).startsWith(workspace.toString(), "from host", "1", "0");
        assertThat(out.get(4)).as("a 60000-byte line over several OUT chunks").hasSize(60000);
        assertThat(lines).contains(new OutputLine(OutputLine.Stream.STDERR, "err"));
        assertThat(Files.readString(workspace.resolve("output.txt"))).isEqualTo("from guest\n");
        assertThat(Files.readString(workspace.resolve("keep/nested/old.txt"))).isEqualTo("changed\n");
        assertThat(Files.readString(workspace.resolve("new/deeper/f.txt"))).isEqualTo("a\nb\n");
        assertThat(workspace.resolve("doomed.txt")).doesNotExist();
        assertThat(workspace.resolve("lost+found")).doesNotExist();
        assertThat(Files.isSymbolicLink(workspace.resolve("new/link"))).isTrue();
        assertThat(Files.readSymbolicLink(workspace.resolve("new/link"))).isEqualTo(Path.of("../input.txt"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workspace.resolve("suid"))))
                .isEqualTo("rwxr-xr-x");
        assertThat((int) Files.getAttribute(workspace.resolve("suid"), "unix:mode") & 07000).as("setuid dropped")
                .isZero();
        assertThat(runDir).as("the run directory with the image is removed").doesNotExist();
    }
}
