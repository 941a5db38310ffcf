package org.crustyclaw.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.contract.SandboxBackendContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The real dockerd with runc and with runsc: the backend contract for each runtime, and what
 * only Docker promises (its levels, its read-only root, no capabilities, no leftover container).
 */
class DockerBackendTest {

    private static DockerEngine engine;
    /** An engine whose grace no loaded host exhausts, for the SIGTERM check (a trap's line is slow to come there). */
    private static DockerEngine patient;

    @BeforeAll
    static void activate() {
        engine = new DockerEngine(Defaults.of(DockerEngine.Config.class, Map.of()));
        patient = new DockerEngine(Defaults.of(DockerEngine.Config.class, Map.of("graceMillis", 60000L)));
    }

    @AfterAll
    static void deactivate() throws IOException {
        engine.deactivate();
        patient.deactivate();
    }

    @Test
    void registersRuncAtL1AndRunscAtL2() {
        RuncBackend runc = new RuncBackend(engine);
        RunscBackend runsc = new RunscBackend(engine);
        assertThat(runc.name()).isEqualTo("docker-runc");
        assertThat(runc.level()).isEqualTo(IsolationLevel.L1);
        assertThat(runsc.name()).isEqualTo("docker-runsc");
        assertThat(runsc.level()).isEqualTo(IsolationLevel.L2);
        assertThat(runsc.pidsLimit(24)).isGreaterThan(100);
    }

    @Test
    void saysWhyWhenTheEngineIsNotThere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws IOException {
        DockerEngine nowhere = new DockerEngine(Defaults.of(DockerEngine.Config.class,
                Map.of("host", "unix://" + tmp.resolve("no-docker.sock"))));
        try {
            assertThat(new RuncBackend(nowhere).unavailableBecause()).hasValueSatisfying(r ->
                    assertThat(r).contains("does not answer").contains("no-docker.sock"));
        } finally {
            nowhere.deactivate();
        }
    }

    /** The contract and Docker's own checks, once per runtime. */
    abstract static class Runtime extends SandboxBackendContract {

        abstract SandboxBackend on(DockerEngine engine);

        @Override
        protected SandboxBackend backend() {
            return on(engine);
        }

        @Override
        protected SandboxBackend patientBackend() {
            return on(patient);
        }

        @Override
        protected void assertNothingLeftOf(SandboxBackend backend) {
            assertThat(engine.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("org.crustyclaw.sandbox", backend.name())).exec())
                    .as("containers of %s left behind", backend.name()).isEmpty();
        }

        @AfterEach
        void noContainerLeft() {
            assertNothingLeftOf(backend());
        }

        @Test
        void cannotWriteTheReadOnlyRoot() throws Exception {
            Run run = run(limits(), "for f in /bin/cc-evil /etc/cc-evil /cc-evil; do touch $f && echo WROTE $f; done;"
                    + " awk '$2 == \"/\" { print \"ROOT=\" $4 }' /proc/mounts");
            assertThat(run.out()).doesNotContain("WROTE");
            assertThat(run.out().lines().filter(l -> l.startsWith("ROOT="))).allMatch(l -> l.startsWith("ROOT=ro"))
                    .isNotEmpty();
        }

        @Test
        void runsAsAnUnprivilegedUserWithoutCapabilitiesAndCannotMountOrLoadModules() throws Exception {
            Files.write(workspace.resolve("evil.ko"), new byte[4096]);
            Run run = run(limits(), "id -u; grep -E '^(CapPrm|CapEff|CapBnd|NoNewPrivs):' /proc/self/status;"
                    + " chown 0 . && echo CHOWNED; mount -t tmpfs none /tmp && echo MOUNTED;"
                    + " unshare -U true && echo UNSHARED; insmod ./evil.ko && echo LOADED; true");
            assertThat(run.stdout().get(0)).isNotEqualTo("0");
            assertThat(run.out()).contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000")
                    .doesNotContain("CHOWNED").doesNotContain("MOUNTED").doesNotContain("LOADED");
            if (backend().name().equals("docker-runc")) {
                // under runsc a user namespace lives inside gVisor's own kernel; on the host kernel it must not exist
                assertThat(run.out()).doesNotContain("UNSHARED");
            }
        }
    }

    @Nested
    class Runc extends Runtime {
        @Override
        SandboxBackend on(DockerEngine e) {
            return new RuncBackend(e);
        }
    }

    @Nested
    class Runsc extends Runtime {
        @Override
        SandboxBackend on(DockerEngine e) {
            return new RunscBackend(e);
        }
    }
}
