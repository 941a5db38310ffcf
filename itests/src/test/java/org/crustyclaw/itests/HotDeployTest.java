package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Plugins come and go through deploy/ and through {@code plugins install|uninstall}, on one running daemon. */
class HotDeployTest {

    /** Only guards against a deploy that never happens; tests wait for the daemon's log line, not for time. */
    static final Duration HANG_GUARD = Duration.ofSeconds(60);
    static final String ECHO = "org.crustyclaw.tool.echo";
    static Installation dist;
    /** Plugins the distribution brings itself (built-in hooks and the like); tests look past them. */
    static List<String> builtIn = List.of();

    /** The plugin author's own key; its certificate is appended to the distribution's trust store, as docs/security.md says. */
    static TestSigner author;

    @BeforeAll
    static void start() throws Exception {
        dist = Installation.create("deploy");
        author = TestSigner.create(dist.root, "plugin-author");
        Path trust = dist.write("plugin-signers.pem",
                Files.readString(Installation.HOME.resolve("etc/plugin-signers.pem")) + author.pem());
        String shipped = Files.readString(Installation.HOME.resolve("etc/crustyclaw.toml"));
        assertThat(shipped).contains("trust_store = \"etc/plugin-signers.pem\"");
        dist.config(dist.write("crustyclaw.toml", shipped.replace("trust_store = \"etc/plugin-signers.pem\"",
                "trust_store = \"" + trust + "\"")));
        dist.start();
        builtIn = bundles(list());
    }

    @AfterAll
    static void stop() {
        if (dist != null) {
            dist.close();
        }
    }

    /** Leaves deploy/ empty and the daemon without plugins for the next test. */
    @AfterEach
    void emptyDeploy() throws IOException {
        try (Stream<Path> files = Files.list(dist.deploy)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Installation.await(HANG_GUARD, HotDeployTest::list, l -> bundles(l).isEmpty());
    }

    /** How often the daemon's log has said {@code line} so far. */
    static int logged(String line) {
        return dist.logText().split(java.util.regex.Pattern.quote(line), -1).length - 1;
    }

    /**
     * Waits until the daemon logs {@code line} once more than {@code before} times: polling a file,
     * where polling {@code plugins list} would start a CLI JVM each time.
     */
    static void awaitLogged(String line, int before) {
        int now = Installation.await(HANG_GUARD, () -> logged(line), n -> n > before);
        assertThat(now).as("the daemon log says '%s' within %s:%n%s", line, HANG_GUARD, dist.logText()).isGreaterThan(before);
    }

    static JsonNode list() {
        Result r = dist.run("plugins", "list", "--json");
        assertThat(r.exit()).as("%s", r).isZero();
        return r.json();
    }

    static List<String> bundles(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("plugins").forEach(p -> names.add(p.path("bundle").asText() + "/" + p.path("name").asText()));
        names.removeAll(builtIn);
        return names;
    }

    /** Whether every component of {@code bundle} in a plugins list is active or satisfied. */
    static boolean enabled(JsonNode list, String bundle) {
        boolean any = false;
        for (JsonNode p : list.path("plugins")) {
            if (p.path("bundle").asText().equals(bundle)) {
                any = true;
                if (!List.of("active", "satisfied").contains(p.path("state").asText())) {
                    return false;
                }
            }
        }
        return any;
    }

    @Test
    void droppedJarIsInstalledAndRemovedJarUninstalled() throws IOException {
        assertThat(bundles(list())).isEmpty();
        assertThat(builtIn).as("the example is not built in").noneMatch(b -> b.startsWith(ECHO));

        int deployed = logged("deployed echo.jar as " + ECHO);
        Path jar = Files.copy(Installation.exampleJar(), dist.deploy.resolve("echo.jar"));
        awaitLogged("deployed echo.jar as " + ECHO, deployed);
        // installed and started; its component is enabled by SCR a moment after the bundle's start
        JsonNode after = Installation.await(HANG_GUARD, HotDeployTest::list, l -> bundles(l).contains(ECHO + "/echo")
                && enabled(l, ECHO));
        assertThat(bundles(after)).as("plugins list after the copy").containsExactly(ECHO + "/echo");
        assertThat(enabled(after, ECHO)).as("%s", after).isTrue();
        JsonNode echo = null;
        for (JsonNode p : after.path("plugins")) {
            if (p.path("bundle").asText().equals(ECHO)) {
                echo = p;
            }
        }
        assertThat(echo).as("the echo row of %s", after).isNotNull();
        assertThat(echo.path("spi").asText()).isEqualTo("tool adapters");
        assertThat(echo.path("state").asText()).isIn("active", "satisfied");
        assertThat(echo.has("ranking")).isTrue();
        assertThat(echo.path("version").asText()).startsWith("0.1.0");
        JsonNode status = dist.run("status", "--json").json();
        assertThat(status.path("plugins").path("tool adapters").toString()).contains("\"echo\"");

        int undeployed = logged("undeployed echo.jar");
        Files.delete(jar);
        awaitLogged("undeployed echo.jar", undeployed);
        assertThat(bundles(list())).as("plugins list after the delete").isEmpty();
        Result all = dist.run("plugins", "list", "--all");
        assertThat(all.out()).doesNotContain(ECHO);
    }

    @Test
    void garbageJarIsReportedAndTheDaemonKeepsAnswering() throws IOException {
        Files.writeString(dist.deploy.resolve("garbage.jar"), "this is not a zip file");
        JsonNode l = Installation.await(HANG_GUARD, HotDeployTest::list,
                x -> x.path("problems").toString().contains("garbage.jar"));
        JsonNode problem = l.path("problems").get(0);
        assertThat(problem).as("%s", l).isNotNull();
        assertThat(problem.path("file").asText()).isEqualTo("garbage.jar");
        assertThat(problem.path("reason").asText()).contains("not a jar").contains("expected");
        assertThat(problem.path("at").asText()).isNotBlank();

        Result status = dist.run("status", "--json");
        assertThat(status.exit()).as("%s", status).isZero();
        assertThat(status.json().path("deployProblems").asInt()).isEqualTo(1);
        assertThat(dist.run("plugins", "list").out()).contains("garbage.jar");

        // a good plugin still deploys next to the broken one
        Files.copy(Installation.exampleJar(), dist.deploy.resolve("echo.jar"));
        assertThat(bundles(Installation.await(HANG_GUARD, HotDeployTest::list, x -> !bundles(x).isEmpty())))
                .containsExactly(ECHO + "/echo");
    }

    @Test
    void unresolvableBundleIsReportedWithTheMissingPackage() throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.example.unresolvable");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "org.example.nowhere;version=\"[1,2)\"");
        Path plain = dist.root.resolve("unresolvable-plain.jar");
        try (OutputStream out = Files.newOutputStream(plain);
                JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new java.util.jar.JarEntry("org/example/readme.txt"));
            jar.write("signed content".getBytes());
            jar.closeEntry();
        }
        // signed by the author's own key, which the trust store was given: it passes the signature check
        author.sign(plain, dist.deploy.resolve("unresolvable.jar"));
        JsonNode l = Installation.await(HANG_GUARD, HotDeployTest::list,
                x -> x.path("problems").toString().contains("unresolvable.jar"));
        assertThat(l.path("problems").toString()).as("%s", l).contains("unresolvable.jar").contains("org.example.nowhere");
        assertThat(dist.run("status").exit()).isZero();
    }

    @Test
    void pluginsInstallAndUninstallCommands() throws IOException {
        Result install = dist.run("plugins", "install", Installation.exampleJar().toString());
        assertThat(install.exit()).as("%s", install).isZero();
        assertThat(bundles(list())).as("active once install returns").containsExactly(ECHO + "/echo");
        assertThat(dist.deploy.toFile().list()).as("install copies into deploy/").hasSize(1);

        Result uninstall = dist.run("plugins", "uninstall", ECHO);
        assertThat(uninstall.exit()).as("%s", uninstall).isZero();
        assertThat(bundles(Installation.await(HANG_GUARD, HotDeployTest::list, x -> bundles(x).isEmpty()))).isEmpty();
        assertThat(dist.deploy.toFile().list()).as("uninstall removes the jar from deploy/").isEmpty();

        Result again = dist.run("plugins", "uninstall", ECHO);
        assertThat(again.exit()).as("uninstalling what is not there: %s", again).isEqualTo(1);
        assertThat(again.err()).contains(ECHO);
        Result missing = dist.run("plugins", "install", dist.root.resolve("nope.jar").toString());
        assertThat(missing.exit()).as("%s", missing).isEqualTo(1);
        assertThat(missing.err()).contains("nope.jar");
    }
}
