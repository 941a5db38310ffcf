package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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

/**
 * L3 on Firecracker: every run in a fresh Firecracker microVM with the guest of the
 * {@code qemu-microvm} backend (same kernel, initramfs, agent protocol). Firecracker has no
 * virtio-serial and no file sharing, so the agent talks on the serial console (Firecracker's
 * stdin/stdout) and the workspace travels as an ext4 image on a virtio-blk disk, copied back
 * when the command is over ({@link DiskWorkspace}). Needs a firecracker binary and a KVM
 * that really boots a guest: {@link #unavailableBecause()} probes that once by booting one.
 * It reads the configuration of {@code qemu-microvm} (PID {@value MicrovmBackend#PID}).
 */
@Component(service = SandboxBackend.class, configurationPid = MicrovmBackend.PID)
@SandboxBackendName(backend = FirecrackerBackend.NAME, level = "L3")
public final class FirecrackerBackend implements SandboxBackend {

    public static final String NAME = "firecracker";
    static final Duration API_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    /**
     * @param binary    the configured firecracker, empty to search PATH
     * @param kvmDevice {@code /dev/kvm}; only tests point it elsewhere
     */
    record Options(Optional<Path> binary, Path kernel, Path initramfs, Duration bootTimeout, Path kvmDevice) {
        Options {
            if (binary.isPresent() && !binary.get().isAbsolute()) {
                throw new IllegalArgumentException("firecracker binary '" + binary.get()
                        + "' is not an absolute path (leave it empty to search PATH)");
            }
            if (bootTimeout.isNegative() || bootTimeout.isZero()) {
                throw new IllegalArgumentException("boot timeout must be positive: " + bootTimeout);
            }
        }

        static Options from(MicrovmBackend.Config c) {
            String binary = c.firecracker().trim();
            return new Options(binary.isEmpty() ? Optional.empty() : Optional.of(Path.of(binary)), Path.of(c.kernel()),
                    Path.of(c.initramfs()), Duration.ofSeconds(c.bootTimeoutSeconds()), Path.of("/dev/kvm"));
        }
    }

    private final Options options;
    private final Set<MicroVm> live = ConcurrentHashMap.newKeySet();
    private Optional<String> probeOutcome; // guarded by this; null until the KVM probe ran
    private final RunDirs runDirs = new RunDirs(NAME);

    @Activate
    public FirecrackerBackend(MicrovmBackend.Config config) {
        this(Options.from(config));
    }

    FirecrackerBackend(Options options) {
        this.options = options;
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

    /** The firecracker binary: the configured one, else the first on PATH. */
    Optional<Path> binary() {
        if (options.binary().isPresent()) {
            return options.binary();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isRegularFile(Path.of(dir, NAME)) && Files.isExecutable(Path.of(dir, NAME))) {
                return Optional.of(Path.of(dir, NAME));
            }
        }
        return Optional.empty();
    }

    /**
     * Why Firecracker cannot run here, or empty. Checks the binary, the guest assets,
     * e2fsprogs and the KVM device, then (once; the outcome is kept) boots a probe VM, since
     * a /dev/kvm that exists may still not run a guest (nested hosts).
     */
    @Override
    public Optional<String> unavailableBecause() {
        Optional<Path> binary = binary();
        if (binary.isEmpty()) {
            return Optional.of("no firecracker binary on PATH (Firecracker is not in Debian's packages: take a "
                    + "release from github.com/firecracker-microvm/firecracker/releases and set "
                    + "[sandbox.microvm] firecracker = \"/path/to/firecracker\")");
        }
        if (!Files.isRegularFile(binary.get()) || !Files.isExecutable(binary.get())) {
            return Optional.of("configured firecracker " + binary.get() + " is not an executable file");
        }
        for (Path asset : new Path[] {options.kernel(), options.initramfs()}) {
            if (!Files.isReadable(asset)) {
                return Optional.of("guest " + asset + " is missing: run scripts/setup-sandbox-host.sh");
            }
        }
        Optional<String> e2fs = DiskWorkspace.unavailableBecause();
        if (e2fs.isPresent()) {
            return e2fs;
        }
        Path kvm = options.kvmDevice();
        if (!Files.exists(kvm)) {
            return Optional.of("no " + kvm + ": Firecracker needs KVM (hardware virtualisation)");
        }
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return Optional.of(kvm + " is not readable and writable by this user: Firecracker needs it");
        }
        synchronized (this) {
            if (probeOutcome == null) {
                probeOutcome = probe(binary.get());
            }
            return probeOutcome;
        }
    }

    private Optional<String> probe(Path binary) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("cc-firecracker-probe-");
            FirecrackerLaunch launch = new FirecrackerLaunch(binary, options.kernel(), options.initramfs(),
                    Settings.MIN_MEMORY_MIB, 1, scratch, scratch.resolve("vm"), Optional.empty(), API_TIMEOUT);
            Duration timeout = options.bootTimeout().compareTo(PROBE_TIMEOUT) < 0 ? options.bootTimeout()
                    : PROBE_TIMEOUT;
            MicroVm.boot(NAME, launch, timeout, ResourceLimits.DEFAULT).close();
            return Optional.empty();
        } catch (SandboxException | IOException e) {
            return Optional.of("KVM does not work here: a probe microVM did not boot under " + binary + " ("
                    + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("the KVM probe was interrupted");
        } finally {
            if (scratch != null) {
                Host.deleteTree(scratch);
            }
        }
    }

    @Override
    public ExecResult run(SandboxSpec spec, Consumer<OutputLine> lines) throws SandboxException {
        return MicroVm.runOnce(NAME, this::boot, spec, lines);
    }

    /** Boots a VM for {@code workspace} now; its files are copied back when its one command is over. */
    @Override
    public PreparedSandbox prepare(Path workspace, ResourceLimits limits, String image) throws SandboxException {
        return MicroVm.prepare(NAME, this::boot, workspace, limits, image);
    }

    private MicroVm boot(Path workspace, ResourceLimits limits) throws SandboxException, InterruptedException {
        Optional<String> missing = unavailableBecause();
        if (missing.isPresent()) {
            throw new SandboxException("the " + NAME + " backend is unavailable: " + missing.get());
        }
        if (!workspace.isAbsolute() || !Files.isDirectory(workspace)) {
            throw new IllegalArgumentException("workspace " + workspace + " is not an existing absolute directory");
        }
        long mib = (limits.memoryBytes() + (1 << 20) - 1) >> 20;
        if (mib < Settings.MIN_MEMORY_MIB) {
            throw new IllegalArgumentException("memory limit " + mib + " MiB is below the "
                    + Settings.MIN_MEMORY_MIB + " MiB a microVM needs to boot");
        }
        int cpus = (int) Math.min(Math.min(Math.ceil(limits.cpus()), Runtime.getRuntime().availableProcessors()), 32);
        Path runDir = runDirs.next();
        DiskWorkspace disk;
        try {
            disk = DiskWorkspace.create(workspace, runDir.resolve("workspace.ext4"), limits.diskBytes());
        } catch (SandboxException | RuntimeException e) {
            Host.deleteTree(runDir);
            throw e;
        }
        FirecrackerLaunch launch = new FirecrackerLaunch(binary().orElseThrow(), options.kernel(), options.initramfs(),
                (int) Math.min(mib, Integer.MAX_VALUE), Math.max(1, cpus), workspace, runDir, Optional.of(disk),
                API_TIMEOUT);
        MicroVm vm = MicroVm.boot(NAME, launch, options.bootTimeout(), limits);
        live.add(vm);
        vm.onClose(() -> live.remove(vm));
        return vm;
    }


}
