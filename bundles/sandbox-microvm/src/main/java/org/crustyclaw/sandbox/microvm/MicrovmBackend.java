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
import org.crustyclaw.api.sandbox.PoolStats;
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

        @AttributeDefinition(description = "Memory in MiB of warm-pool VMs (at least 128); a run takes its "
                + "memory from its resource limits.")
        int memoryMib() default 256;

        @AttributeDefinition(description = "Accelerator: auto (KVM when a probe VM really boots, else TCG), "
                + "kvm or tcg.")
        String accel() default "auto";

        @AttributeDefinition(description = "Seconds a VM may take to reach READY before it is killed.")
        int bootTimeoutSeconds() default 30;

        @AttributeDefinition(description = "Booted VMs kept waiting for acquire(); 0 turns the pool off.")
        int warmPoolSize() default 0;

        @AttributeDefinition(description = "Directory under which warm-pool VMs get their fresh workspaces.")
        String workspaceRoot() default "/var/lib/crustyclaw/microvm/workspaces";

        @AttributeDefinition(description = "Owner uid (and gid) of fresh workspaces when the daemon runs as root; "
                + "the guest user takes the workspace owner's uid and a root-owned workspace is read-only to it.")
        int workspaceUid() default 1000;

        @AttributeDefinition(description = "Path of the firecracker binary for the firecracker backend (same "
                + "kernel and initramfs, needs a working /dev/kvm); empty: look for firecracker on PATH. "
                + "Firecracker is not in Debian's packages: take a release binary from "
                + "github.com/firecracker-microvm/firecracker/releases.")
        String firecracker() default "";
    }

    private final Settings settings;
    private final OptionalLong tscKhz;
    private final Set<MicroVm> live = ConcurrentHashMap.newKeySet();
    private final WarmPool pool;
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
        this.pool = settings.poolSize() > 0 && unavailableBecause().isEmpty()
                ? new WarmPool(settings.poolSize(), this::bootPooled) : null;
    }

    @Deactivate
    public void deactivate() {
        if (pool != null) {
            pool.close();
        }
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

    /**
     * A booted VM with a fresh workspace of its own (under the configured workspace root),
     * taken from the warm pool when one waits there and the limits match the pool's VM
     * size ({@code memoryMib}, one CPU); booted now otherwise. The caller closes it and
     * removes the workspace when done with its files.
     */
    public PreparedSandbox acquire(ResourceLimits limits) throws SandboxException {
        long started = System.nanoTime();
        boolean fits = limits.memoryBytes() == (long) settings.memoryMib() << 20 && Math.ceil(limits.cpus()) == 1;
        Optional<MicroVm> pooled = pool != null && fits ? pool.take() : Optional.empty();
        MicroVm vm;
        if (pooled.isPresent()) {
            vm = pooled.get();
            vm.limits(limits);
        } else {
            try {
                vm = boot(freshWorkspace(), limits);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while booting a microVM", e);
            }
        }
        if (pool != null) {
            pool.recordAcquire((System.nanoTime() - started) / 1e6);
        }
        return vm;
    }

    /** The warm pool as {@code sandbox pool} shows it (size 0 and no counts when it is off). */
    @Override
    public java.util.Optional<PoolStats> ownPool() {
        return pool == null ? java.util.Optional.empty() : java.util.Optional.of(poolStats());
    }

    public PoolStats poolStats() {
        WarmPool.Snapshot s = pool != null ? pool.snapshot()
                : new WarmPool.Snapshot(0, 0, 0, 0, 0, 0, 0, 0, "");
        return new PoolStats("base", IsolationLevel.L3, NAME, s.size(), s.idle(), s.starting(), s.inUse(),
                s.handedOut(), s.refillsPerMinute(), s.p50Millis(), s.p99Millis(), s.lastError());
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
            QemuCommandLine line = commandLine("kvm", scratch, settings.memoryMib(), 1);
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

    private MicroVm bootPooled() throws SandboxException, InterruptedException {
        return boot(freshWorkspace(), ResourceLimits.DEFAULT.withMemory((long) settings.memoryMib() << 20));
    }

    private QemuCommandLine commandLine(String accelerator, Path workspace, int memoryMib, int cpus)
            throws SandboxException {
        return new QemuCommandLine(settings.qemu(), settings.kernel(), settings.initramfs(), accelerator, memoryMib,
                cpus, workspace, runDirs.next(), tscKhz);
    }


    private Path freshWorkspace() throws SandboxException {
        try {
            Files.createDirectories(settings.workspaceRoot());
            Path dir = Files.createTempDirectory(settings.workspaceRoot(), "ws-");
            if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
                Files.setAttribute(dir, "unix:uid", settings.workspaceUid());
                Files.setAttribute(dir, "unix:gid", settings.workspaceUid());
            }
            return dir;
        } catch (IOException | UnsupportedOperationException e) {
            throw new SandboxException("cannot create a workspace under " + settings.workspaceRoot() + ": "
                    + e.getMessage(), e);
        }
    }


    private static OptionalLong readTscKhz(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // the boot watchdog still bounds a hanging calibration
        }
    }
}
