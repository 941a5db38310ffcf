package org.crustyclaw.sandbox.microvm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxSpec;

/**
 * Prints, side by side: boot to the end of a first command ({@code true}) with the bare
 * QEMU command and a hand-written agent client, the same through {@link MicrovmBackend#run},
 * and prepare (what the manager's warm pool hides) against exec on a prepared VM. Figures only; nothing is asserted.
 * Arguments: [rounds, default 5] [accel, default tcg].
 */
public final class MicrovmBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String accel = args.length > 1 ? args[1] : "tcg";
        Path root = Files.createTempDirectory("cc-microvm-bench-");
        Path ws = Files.createDirectory(root.resolve("ws"));
        Settings settings = Settings.defaults().withAccel(accel).withBootTimeout(Duration.ofSeconds(60));
        MicrovmBackend backend = new MicrovmBackend(settings);
        if (backend.unavailableBecause().isPresent()) {
            System.out.println("skipped: " + backend.unavailableBecause().get());
            return;
        }
        List<Double> bare = new ArrayList<>();
        List<Double> viaBackend = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            bare.add(bareQemu(settings, accel, ws, root.resolve("bare-" + i)));
            long t0 = System.nanoTime();
            ExecResult r = backend.run(SandboxSpec.of(ws, List.of("true")), line -> {});
            viaBackend.add((System.nanoTime() - t0) / 1e6);
            if (!r.succeeded()) {
                System.out.println("backend run failed: " + r);
            }
        }
        print("bare QEMU, boot to first command end", bare);
        print("qemu-microvm run(true), cold", viaBackend);

        // what the sandbox manager's warm pool (pools = ["base@L3=N"]) does with this backend:
        // prepare() boots ahead, exec() is what a run still waits for
        List<Double> prepare = new ArrayList<>();
        List<Double> exec = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            try (PreparedSandbox vm = backend.prepare(ws, ResourceLimits.DEFAULT, "base")) {
                prepare.add((System.nanoTime() - t0) / 1e6);
                long t1 = System.nanoTime();
                vm.exec(List.of("true"), Map.of(), line -> {});
                exec.add((System.nanoTime() - t1) / 1e6);
            }
        }
        backend.deactivate();
        print("prepare (boot ahead, the pool's refill)", prepare);
        print("exec(true) on a prepared VM", exec);
        Host.deleteTree(root);
    }

    /** The bare command line of guest/PROTOCOL.md with a minimal client: READY, RUN true, EXIT. */
    private static double bareQemu(Settings s, String accel, Path ws, Path runDir) throws Exception {
        Files.createDirectories(runDir);
        QemuCommandLine line = new QemuCommandLine(s.qemu(), s.kernel(), s.initramfs(), accel, 256, 1, ws, runDir,
                OptionalLong.of(Long.parseLong(Files.readString(s.kernel().resolveSibling("tsc_khz")).trim())));
        long t0 = System.nanoTime();
        Process qemu = new ProcessBuilder(line.argv()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (!Files.exists(line.socket())) {
                Thread.sleep(2);
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(line.socket()));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8));
                String l;
                while ((l = in.readLine()) != null && !l.startsWith("READY")) {
                    // wait for the agent
                }
                ch.write(ByteBuffer.wrap("RUN b\nARG dHJ1ZQ==\nGO b\n".getBytes(StandardCharsets.US_ASCII)));
                while ((l = in.readLine()) != null && !l.startsWith("EXIT")) {
                    // STARTED
                }
                double millis = (System.nanoTime() - t0) / 1e6;
                ch.write(ByteBuffer.wrap("POWEROFF\n".getBytes(StandardCharsets.US_ASCII)));
                return millis;
            }
        } finally {
            qemu.waitFor(3, TimeUnit.SECONDS);
            qemu.destroyForcibly().waitFor();
        }
    }

    private static void print(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%-40s n=%d  p50 %8.1f ms  min %8.1f ms  max %8.1f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
