package org.crustyclaw.sandbox.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.crustyclaw.api.sandbox.BackendStatus;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.Sandboxes.Ran;
import org.crustyclaw.api.sandbox.Sandboxes.Refusal;
import org.crustyclaw.api.sandbox.Sandboxes.RunOutcome;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.sandbox.bwrap.BwrapBackend;
import org.crustyclaw.sandbox.docker.RuncBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.component.ComponentConstants;
import org.osgi.util.function.Function;
import org.osgi.util.promise.Promise;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A real Felix with SCR and the three sandbox bundles as built: the docker bundle (with
 * docker-java embedded, Jackson imported) resolves, the manager finds the backends through the
 * whiteboard, and stopping the docker bundle while running takes its backends away until
 * it is started again. The API packages come from the test's class path (system packages)
 * so that the test holds the same {@link Sandboxes} type as the bundles.
 */
class FelixWhiteboardTest {

    @TempDir
    Path tmp;
    Framework framework;

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    @Test
    void dockerBackendsLeaveWithTheirBundleAndComeBackWithIt() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("felix").toString());
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, exportsOf(Sandboxes.class));
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        BundleContext context = framework.getBundleContext();
        // Jackson as the distribution ships it: bundles the docker bundle imports, no copy of its own
        for (Class<?> c : List.of(Function.class, Promise.class, ComponentConstants.class,
                org.apache.felix.scr.impl.Activator.class, com.fasterxml.jackson.annotation.JsonProperty.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                BwrapBackend.class, SandboxManager.class)) {
            context.installBundle("reference:" + location(c).toUri()).start();
        }
        Bundle docker = context.installBundle("reference:" + location(RuncBackend.class).toUri());
        docker.start();
        assertThat(docker.getState()).as("docker bundle resolves with only the framework's, Jackson's and the API's packages")
                .isEqualTo(Bundle.ACTIVE);

        // the manager runs nothing unchecked or unrecorded: the security bundle's two services, as the test's own
        context.registerService(org.crustyclaw.api.policy.PolicyEngine.class,
                new SelectorTest.RecordingPolicy(org.crustyclaw.api.policy.Effect.ALLOW), null);
        context.registerService(org.crustyclaw.api.audit.AuditLog.class, new SandboxManagerTest.RecordingAudit(false), null);
        Sandboxes sandboxes = awaitService(context);
        awaitBackends(sandboxes, List.of("bwrap", "docker-runc", "docker-runsc"));
        assumeTrue(sandboxes.backends().stream().filter(b -> b.name().equals("docker-runc"))
                .allMatch(BackendStatus::available), () -> "docker-runc unavailable: " + sandboxes.backends());

        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path ws = Files.createDirectory(tmp.resolve("ws"));
        Files.setAttribute(ws, "unix:uid", 65534);
        RunRequest onRunc = RunRequest.of(SelectorTest.ALICE, TrustTier.TRUSTED, List.of("echo", "from-runc"))
                .withBackend("docker-runc").withWorkspace(ws);
        assertThat(sandboxes.run(onRunc, l -> { })).isInstanceOf(Ran.class);

        docker.stop();
        awaitBackends(sandboxes, List.of("bwrap"));
        RunOutcome refused = sandboxes.run(onRunc, l -> { });
        assertThat(refused).isInstanceOf(Refusal.class);
        assertThat(((Refusal) refused).reason()).isEqualTo("no sandbox backend named 'docker-runc' is installed");
        assertThat(((Refusal) refused).installed()).extracting(BackendStatus::name).containsExactly("bwrap");

        docker.start();
        awaitBackends(sandboxes, List.of("bwrap", "docker-runc", "docker-runsc"));
        Ran again = (Ran) sandboxes.run(onRunc, l -> { });
        assertThat(again.backend()).isEqualTo("docker-runc");
        assertThat(again.result().succeeded()).isTrue();
    }

    private static Sandboxes awaitService(BundleContext context) throws InterruptedException {
        ServiceTracker<Sandboxes, Sandboxes> tracker = new ServiceTracker<>(context, Sandboxes.class, null);
        tracker.open();
        Sandboxes found = tracker.waitForService(Await.HANG_GUARD.toMillis());
        if (found == null) {
            throw new AssertionError("no Sandboxes service registered within " + Await.HANG_GUARD);
        }
        return found; // the tracker stays open: it holds the service for the test
    }

    private static void awaitBackends(Sandboxes sandboxes, List<String> names) throws InterruptedException {
        List<String> expected = names.stream().sorted().toList();
        Await.until("the backends become " + expected,
                () -> sandboxes.backends().stream().map(BackendStatus::name).sorted().toList(), expected::equals);
    }

    /** The jar (or exploded bundle directory) a class was loaded from. */
    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String exportsOf(Class<?> apiClass) throws IOException, URISyntaxException {
        Path api = location(apiClass);
        Manifest manifest;
        if (Files.isDirectory(api)) {
            try (var in = Files.newInputStream(api.resolve("META-INF/MANIFEST.MF"))) {
                manifest = new Manifest(in);
            }
        } else {
            try (JarFile jar = new JarFile(api.toFile())) {
                manifest = jar.getManifest();
            }
        }
        return manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
    }
}
