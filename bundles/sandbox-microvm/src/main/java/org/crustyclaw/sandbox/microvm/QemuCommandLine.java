package org.crustyclaw.sandbox.microvm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * The QEMU argv for one microVM: no network device, no firmware option ROMs, one
 * virtio-serial port for the agent and the workspace over virtio-9p at the same path.
 *
 * @param tscKhz the host TSC frequency; without it the guest clock calibration can hang under TCG
 */
record QemuCommandLine(Path qemu, Path kernel, Path initramfs, String accel, int memoryMib, int cpus,
        Path workspace, Path runDir, OptionalLong tscKhz) {

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
    }

    Path socket() {
        return runDir.resolve("agent.sock");
    }

    Path console() {
        return runDir.resolve("console.log");
    }

    List<String> argv() {
        List<String> args = new ArrayList<>(List.of(qemu.toString(),
                "-M", "microvm,x-option-roms=off,isa-serial=on", "-accel", accel,
                "-nodefaults", "-no-user-config", "-m", Integer.toString(memoryMib), "-smp", Integer.toString(cpus),
                "-no-reboot", "-display", "none", "-nic", "none",
                "-kernel", kernel.toString(), "-initrd", initramfs.toString(),
                "-serial", "file:" + option(console()),
                "-device", "virtio-serial-device",
                "-chardev", "socket,id=agent,path=" + option(socket()) + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=org.crustyclaw.agent",
                "-fsdev", "local,id=ws,path=" + option(workspace) + ",security_model=none",
                "-device", "virtio-9p-device,fsdev=ws,mount_tag=workspace",
                "-append", kernelArguments()));
        return List.copyOf(args);
    }

    String kernelArguments() {
        StringBuilder cmdline = new StringBuilder("console=ttyS0 quiet panic=-1");
        tscKhz.ifPresent(khz -> cmdline.append(" tsc_early_khz=").append(khz));
        cmdline.append(" tsc=reliable no_timer_check");
        // base64 carries any path through the whitespace-split kernel command line
        cmdline.append(" crustyclaw.ws64=").append(
                Base64.getEncoder().encodeToString(workspace.toString().getBytes(StandardCharsets.UTF_8)));
        return cmdline.toString();
    }

    /** QEMU option values separate on commas; a literal comma is written twice. */
    private static String option(Path path) {
        return path.toString().replace(",", ",,");
    }
}
