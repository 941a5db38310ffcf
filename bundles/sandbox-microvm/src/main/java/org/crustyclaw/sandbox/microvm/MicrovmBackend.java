package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxBackendName;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * L3: every run in a fresh QEMU microVM with its own kernel, no network device, and only
 * the workspace shared (virtio-9p, same path). Commands pass over virtio-serial to the
 * guest agent (guest/PROTOCOL.md). A VM is never reused: it is powered off after its command.
 * Booted VMs kept waiting are the sandbox manager's warm pool ({@code base@L3=N}), which
 * boots them through {@link #prepare}.
 */
@Component(service = SandboxBackend.class, configurationPid = MicrovmBackend.PID)
@Designate(ocd = MicrovmBackend.Config.class)
@SandboxBackendName(backend = MicrovmBackend.NAME, level = "L3")
public final class MicrovmBackend implements SandboxBackend {

    public static final String PID = "org.crustyclaw.sandbox.microvm";
    public static final String NAME = "qemu-microvm";

    @ObjectClassDefinition(name = "Sandbox: QEMU microVM",
            description = "Runs each command in a fresh QEMU microVM (L3); also read by the firecracker backend.")
    public @interface Config {
        @AttributeDefinition(description = "Path of the qemu-system-x86_64 binary.")
        String qemuBinary() default "/usr/bin/qemu-system-x86_64";

        @AttributeDefinition(description = "Uncompressed guest kernel, made by scripts/setup-sandbox-host.sh.")
        String kernel() default "/var/lib/crustyclaw/microvm/vmlinux";

        @AttributeDefinition(description = "Guest initramfs with the agent, made by scripts/setup-sandbox-host.sh.")
        String initramfs() default "/var/lib/crustyclaw/microvm/initramfs.cpio.gz";

        @AttributeDefinition(description = "Accelerator: auto (KVM when a probe VM really boots, else TCG), "
                + "kvm or tcg.")
        String accel() default "auto";

        @AttributeDefinition(description = "Seconds a VM may take to reach READY before it is killed.")
        int bootTimeoutSeconds() default 30;

        @AttributeDefinition(description = "Path of the firecracker binary for the firecracker backend (same "
                + "kernel and initramfs, needs a working /dev/kvm); empty: look for firecracker on PATH. "
                + "Firecracker is not in Debian's packages: take a release binary from "
                + "github.com/firecracker-microvm/firecracker/releases.")
        String firecracker() default "";
    }

    private final Settings settings;
    private final OptionalLong tscKhz;
    private final Set<MicroVm> live = ConcurrentHashMap.newKeySet();
    private volatile String accel;
    private final RunDirs runDirs = new RunDirs(NAME);

    @Activate
    public MicrovmBackend(Config config) {
        this(Settings.from(config));
    }

    MicrovmBackend(Settings settings) {
        this.settings = settings;
        this.tscKhz = readTscKhz(settings.kernel().resolveSibling("tsc_khz"));
        this.accel = settings.accel().equals("auto") ? null : settings.accel();
    }

    @Deactivate
    public void deactivate() {
        live.forEach(MicroVm::close);
        runDirs.deleteAll();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IsolationLevel level() {
        return IsolationLevel.L3;
    }

    @Override
    public Optional<String> unavailableBecause() {
        if (!Files.isExecutable(settings.qemu())) {
            return Optional.of(settings.qemu() + " not found (install the qemu-system-x86 package)");
        }
        for (Path asset : new Path[] {settings.kernel(), settings.initramfs()}) {
            if (!Files.isReadable(asset)) {
                return Optional.of("guest " + asset + " is missing: run scripts/setup-sandbox-host.sh");
            }
        }
        return Optional.empty();
    }

    @Override
    public ExecResult run(SandboxSpec spec, Consumer<OutputLine> lines) throws SandboxException {
        return MicroVm.runOnce(NAME, this::boot, spec, lines);
    }

    /** Boots a VM for {@code workspace} now; its one command runs at {@link PreparedSandbox#exec}. */
    @Override
    public PreparedSandbox prepare(Path workspace, ResourceLimits limits, String image) throws SandboxException {
        return MicroVm.prepare(NAME, this::boot, workspace, limits, image);
    }

    /** The accelerator runs use: for {@code auto}, KVM only when a probe VM really boots under it. */
    String accel() throws InterruptedException {
        String known = accel;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (accel == null) {
                accel = Files.exists(Path.of("/dev/kvm")) && probeKvm() ? "kvm" : "tcg";
            }
            return accel;
        }
    }

    private boolean probeKvm() throws InterruptedException {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("cc-microvm-probe-");
            QemuCommandLine line = commandLine("kvm", scratch, Settings.MIN_MEMORY_MIB, 1);
            Duration timeout = settings.bootTimeout().compareTo(Duration.ofSeconds(15)) < 0
                    ? settings.bootTimeout() : Duration.ofSeconds(15);
            MicroVm.boot(NAME, line, timeout, ResourceLimits.DEFAULT).close();
            return true;
        } catch (SandboxException | IOException e) {
            return false;
        } finally {
            if (scratch != null) {
                Host.deleteTree(scratch);
            }
        }
    }

    private MicroVm boot(Path workspace, ResourceLimits limits) throws SandboxException, InterruptedException {
        Optional<String> missing = unavailableBecause();
        if (missing.isPresent()) {
            throw new SandboxException("the " + NAME + " backend is unavailable: " + missing.get());
        }
        if (!Files.isDirectory(workspace)) {
            throw new IllegalArgumentException("workspace " + workspace + " is not an existing directory");
        }
        long mib = (limits.memoryBytes() + (1 << 20) - 1) >> 20;
        if (mib < Settings.MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("memory limit " + mib + " MiB is below the "
                    + Settings.MIN_MEMORY_MIB + " MiB a microVM needs to boot");
        }
        int cpus = (int) Math.min(Math.ceil(limits.cpus()), Runtime.getRuntime().availableProcessors());
        QemuCommandLine line = commandLine(accel(), workspace, (int) Math.min(mib, Integer.MAX_VALUE),
                Math.max(1, cpus));
        MicroVm vm = MicroVm.boot(NAME, line, settings.bootTimeout(), limits);
        live.add(vm);
        vm.onClose(() -> live.remove(vm));
        return vm;
    }

    private QemuCommandLine commandLine(String accelerator, Path workspace, int memoryMib, int cpus)
            throws SandboxException {
        return new QemuCommandLine(settings.qemu(), settings.kernel(), settings.initramfs(), accelerator, memoryMib,
                cpus, workspace, runDirs.next(), tscKhz);
    }

    private static OptionalLong readTscKhz(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // the boot watchdog still bounds a hanging calibration
        }
    }
}
