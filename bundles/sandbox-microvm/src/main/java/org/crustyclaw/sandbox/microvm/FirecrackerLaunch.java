package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.sandbox.SandboxException;

/**
 * One Firecracker microVM: {@code firecracker --api-sock <run dir>/firecracker.sock} is
 * started, configured over its API (machine, boot source, the workspace disk) and told
 * InstanceStart. The agent talks on the guest's ttyS0, which is Firecracker's stdin and
 * stdout; Firecracker's own log goes to a file so that stdout carries the guest's lines only.
 *
 * @param disk the workspace image; empty for a VM without a workspace (the KVM probe)
 */
record FirecrackerLaunch(Path firecracker, Path kernel, Path initramfs, int memoryMib, int cpus, Path workspace,
        Path runDir, Optional<DiskWorkspace> disk, Duration apiTimeout) implements VmLaunch {

    static final String DRIVE_ID = "workspace";

    FirecrackerLaunch {
        if (memoryMib < Settings.MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("VM memory " + memoryMib + " MiB is below the "
                    + Settings.MIN_MEMORY_MIB + " MiB a microVM needs to boot");
        }
        if (cpus < 1 || cpus > 32) {
            throw new IllegalArgumentException("VM cpus " + cpus + " is not between 1 and 32 (Firecracker's range)");
        }
        if (!workspace.isAbsolute()) {
            throw new IllegalArgumentException("workspace must be an absolute path: " + workspace);
        }
    }

    Path apiSocket() {
        return runDir.resolve("firecracker.sock");
    }

    Path log() {
        return runDir.resolve("firecracker.log");
    }

    @Override
    public Optional<Path> kernelLog() {
        return Optional.empty(); // ttyS0 carries the agent; the kernel console is kept off it
    }

    @Override
    public String describe() {
        return "firecracker";
    }

    List<String> argv() {
        return List.of(firecracker.toString(), "--api-sock", apiSocket().toString(), "--id",
                runDir.getFileName().toString().replaceAll("[^A-Za-z0-9-]", "-"), "--log-path", log().toString(),
                "--level", "Warning");
    }

    /** No console= (the kernel console stays off ttyS0); reboot=k so that a guest reboot ends Firecracker. */
    String bootArgs() {
        StringBuilder args = new StringBuilder("quiet panic=-1 reboot=k pci=off i8042.noaux i8042.nomux i8042.nopnp"
                + " i8042.dumbkbd crustyclaw.channel=ttyS0");
        if (disk.isPresent()) {
            args.append(" crustyclaw.ws_disk=vda crustyclaw.ws64=").append(
                    Base64.getEncoder().encodeToString(workspace.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return args.toString();
    }

    @Override
    public Process start(long deadline) throws SandboxException, InterruptedException {
        Process process;
        try {
            Files.createDirectories(runDir);
            Files.deleteIfExists(apiSocket());
            Files.write(log(), new byte[0]); // Firecracker opens the log path, it does not create it
            process = new ProcessBuilder(argv()).redirectError(runDir.resolve("firecracker.stderr").toFile())
                    .start(); // stdin and stdout stay pipes: they are the guest's serial port
        } catch (IOException e) {
            throw new SandboxException("cannot start " + firecracker + ": " + e.getMessage(), e);
        }
        try {
            FirecrackerApi api = new FirecrackerApi(apiSocket(), apiTimeout);
            awaitSocket(process, deadline);
            api.putMachineConfig(cpus, memoryMib);
            api.putBootSource(kernel, initramfs, bootArgs());
            if (disk.isPresent()) {
                api.putDrive(DRIVE_ID, disk.get().image(), false);
            }
            api.instanceStart();
            return process;
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            Host.killNow(process);
            if (e instanceof SandboxException s) {
                throw new SandboxException(s.getMessage() + ". " + diagnostics(), s);
            }
            throw e;
        }
    }

    /** Until Firecracker accepts connections: the socket file appears at bind(2), before listen(2). */
    private void awaitSocket(Process process, long deadline) throws SandboxException, InterruptedException {
        while (!accepts(apiSocket())) {
            if (!process.isAlive()) {
                throw new SandboxException("firecracker exited with status " + process.exitValue()
                        + " before opening its API socket");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SandboxException("firecracker did not open its API socket " + apiSocket() + " in time");
            }
            Thread.sleep(5);
        }
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public AgentLink connect(Process process, long deadline) {
        return AgentLink.stdio(process);
    }

    @Override
    public void requestStop(Process process) {
        if (process.isAlive()) {
            try {
                new FirecrackerApi(apiSocket(), apiTimeout).sendCtrlAltDel();
            } catch (SandboxException e) {
                // it is killed next
            }
        }
    }

    @Override
    public String diagnostics() {
        return "firecracker log: " + Host.tail(log()) + " stderr: " + Host.tail(runDir.resolve("firecracker.stderr"));
    }
}
