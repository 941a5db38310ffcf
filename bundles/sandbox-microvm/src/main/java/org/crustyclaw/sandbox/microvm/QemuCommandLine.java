package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.crustyclaw.api.sandbox.SandboxException;

/**
 * The QEMU argv for one microVM: no network device, no firmware option ROMs. By default one
 * virtio-serial port for the agent and the workspace over virtio-9p at the same path. With a
 * {@link DiskWorkspace} the guest is wired as Firecracker wires it: the agent on the serial
 * port (ttyS0, here a Unix socket chardev; the kernel console is then not on it) and the
 * workspace as an ext4 image on a virtio-blk disk.
 *
 * @param tscKhz the host TSC frequency; without it the guest clock calibration can hang under TCG
 * @param disk   the workspace image, for the Firecracker-style guest
 */
record QemuCommandLine(Path qemu, Path kernel, Path initramfs, String accel, int memoryMib, int cpus,
        Path workspace, Path runDir, OptionalLong tscKhz, Optional<DiskWorkspace> disk) implements VmLaunch {

    QemuCommandLine {
        if (!accel.equals("kvm") && !accel.equals("tcg")) {
            throw new IllegalArgumentException("accel '" + accel + "' is not kvm or tcg");
        }
        if (memoryMib < Settings.MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("VM memory " + memoryMib + " MiB is below the "
                    + Settings.MIN_MEMORY_MIB + " MiB a microVM needs to boot");
        }
        if (cpus < 1) {
            throw new IllegalArgumentException("VM cpus must be at least 1: " + cpus);
        }
        if (!workspace.isAbsolute()) {
            throw new IllegalArgumentException("workspace must be an absolute path: " + workspace);
        }
        if (disk.isPresent() && !disk.get().workspace().equals(workspace)) {
            throw new IllegalArgumentException("disk image of " + disk.get().workspace() + " given for workspace "
                    + workspace);
        }
    }

    QemuCommandLine(Path qemu, Path kernel, Path initramfs, String accel, int memoryMib, int cpus, Path workspace,
            Path runDir, OptionalLong tscKhz) {
        this(qemu, kernel, initramfs, accel, memoryMib, cpus, workspace, runDir, tscKhz, Optional.empty());
    }

    Path socket() {
        return runDir.resolve("agent.sock");
    }

    Path console() {
        return runDir.resolve("console.log");
    }

    @Override
    public Optional<Path> kernelLog() {
        return disk.isPresent() ? Optional.empty() : Optional.of(console());
    }

    @Override
    public String describe() {
        return "QEMU (accel " + accel + ")";
    }

    List<String> argv() {
        List<String> args = new ArrayList<>(List.of(qemu.toString(),
                "-M", "microvm,x-option-roms=off,isa-serial=on", "-accel", accel,
                "-nodefaults", "-no-user-config", "-m", Integer.toString(memoryMib), "-smp", Integer.toString(cpus),
                "-no-reboot", "-display", "none", "-nic", "none",
                "-kernel", kernel.toString(), "-initrd", initramfs.toString()));
        if (disk.isPresent()) {
            args.addAll(List.of(
                    "-chardev", "socket,id=agent,path=" + option(socket()) + ",server=on,wait=off",
                    "-serial", "chardev:agent",
                    "-drive", "file=" + option(disk.get().image()) + ",format=raw,if=none,id=ws,cache=none",
                    "-device", "virtio-blk-device,drive=ws"));
        } else {
            args.addAll(List.of(
                    "-serial", "file:" + option(console()),
                    "-device", "virtio-serial-device",
                    "-chardev", "socket,id=agent,path=" + option(socket()) + ",server=on,wait=off",
                    "-device", "virtserialport,chardev=agent,name=org.crustyclaw.agent",
                    "-fsdev", "local,id=ws,path=" + option(workspace) + ",security_model=none",
                    "-device", "virtio-9p-device,fsdev=ws,mount_tag=workspace"));
        }
        args.addAll(List.of("-append", kernelArguments()));
        return List.copyOf(args);
    }

    String kernelArguments() {
        // on the serial channel the kernel console must stay off ttyS0, where the agent talks
        StringBuilder cmdline = new StringBuilder(disk.isPresent() ? "quiet panic=-1" : "console=ttyS0 quiet panic=-1");
        tscKhz.ifPresent(khz -> cmdline.append(" tsc_early_khz=").append(khz));
        cmdline.append(" tsc=reliable no_timer_check");
        if (disk.isPresent()) {
            cmdline.append(" crustyclaw.channel=ttyS0 crustyclaw.ws_disk=vda");
        }
        // base64 carries any path through the whitespace-split kernel command line
        cmdline.append(" crustyclaw.ws64=").append(
                Base64.getEncoder().encodeToString(workspace.toString().getBytes(StandardCharsets.UTF_8)));
        return cmdline.toString();
    }

    @Override
    public Process start(long deadline) throws SandboxException {
        try {
            Files.createDirectories(runDir);
            return new ProcessBuilder(argv()).redirectErrorStream(true)
                    .redirectOutput(runDir.resolve("qemu.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new SandboxException("cannot start " + qemu + ": " + e.getMessage(), e);
        }
    }

    /** QEMU opens its socket before the guest boots; connect as soon as it is there. */
    @Override
    public AgentLink connect(Process process, long deadline) throws SandboxException, InterruptedException {
        var address = UnixDomainSocketAddress.of(socket());
        while (true) {
            if (!process.isAlive()) {
                throw new SandboxException("QEMU exited with status " + process.exitValue()
                        + " before the guest booted: " + Host.tail(runDir.resolve("qemu.log")));
            }
            if (Files.exists(socket())) {
                SocketChannel channel = null;
                try {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(address);
                    return AgentLink.socket(channel);
                } catch (IOException e) {
                    if (channel != null) {
                        Host.closeQuietly(channel);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new SandboxException("QEMU did not open its agent socket " + socket() + " in time");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public String diagnostics() {
        return (disk.isPresent() ? "" : "Console: " + Host.tail(console()) + " ") + "QEMU: "
                + Host.tail(runDir.resolve("qemu.log"));
    }

    /** QEMU option values separate on commas; a literal comma is written twice. */
    private static String option(Path path) {
        return path.toString().replace(",", ",,");
    }
}
