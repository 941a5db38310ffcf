package org.crustyclaw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The daemon's framework runs SCR with its component metadata cache ({@code ds.cache.metadata}),
 * kept in SCR's data area across starts on a reused bundle cache; a changed component in a
 * changed jar must still be what runs.
 */
class ScrMetadataCacheTest {

    @Test
    void aChangedComponentInAChangedJarIsPickedUp(@TempDir Path dir) throws Exception {
        Layout layout = installation(dir);
        Path jar = layout.bundles().resolve("test.component.jar");
        writeBundle(jar, "test.first", "v1");

        assertThat(run(layout)).containsExactly("test.first=v1");
        Path store = metadataStore(layout);
        assertThat(store).as("SCR wrote its metadata cache when it stopped").isRegularFile();

        // Same jars: the bundle cache is reused, bundle data areas are wiped but SCR's.
        assertThat(BundleCache.of(layout).reusable()).isTrue();
        assertThat(run(layout)).containsExactly("test.first=v1");
        assertThat(metadataStore(layout)).isEqualTo(store).isRegularFile();

        // A new jar with another component, and a later time.
        FileTime before = Files.getLastModifiedTime(jar);
        writeBundle(jar, "test.other", "v2");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(before.toMillis() + 2_000));
        assertThat(run(layout)).containsExactly("test.other=v2");

        // Changed again and a start after that reuses the cache: still the newest component.
        writeBundle(jar, "test.third", "v3");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(before.toMillis() + 4_000));
        assertThat(run(layout)).containsExactly("test.third=v3");
        assertThat(run(layout)).containsExactly("test.third=v3");
    }

    @Test
    void otherBundlesDataAreasAreStillWiped(@TempDir Path dir) throws IOException {
        BundleCache cache = BundleCache.of(installation(dir));
        Path scr = Files.createDirectories(cache.dir().resolve("bundle4/data"));
        Files.writeString(scr.resolveSibling("bundle.info"), "4\nfile:///x/bundle/org.apache.felix.scr-2.2.18.jar\n32\n");
        Files.writeString(scr.resolve("componentMetadataStore"), "cache");
        Path configAdmin = Files.createDirectories(cache.dir().resolve("bundle5/data/config"));
        Files.writeString(cache.dir().resolve("bundle5/bundle.info"), "5\nfile:///x/bundle/org.apache.felix.configadmin.jar\n32\n");
        Files.writeString(configAdmin.resolve("old.config"), "old = \"value\"");

        cache.clearBundleData("file:///x/bundle/org.apache.felix.scr-2.2.18.jar");

        assertThat(scr.resolve("componentMetadataStore")).exists();
        assertThat(cache.dir().resolve("bundle5/data")).doesNotExist();
    }

    /** Starts the daemon's framework, lists the components' markers, stops it. */
    private static List<String> run(Layout layout) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Framework framework = new DaemonRunner(layout, quiet).startDaemon(() -> true);
        try {
            BundleContext context = framework.getBundleContext();
            List<String> markers = new ArrayList<>();
            ServiceReference<?>[] refs = context.getAllServiceReferences(Object.class.getName(), "(marker=*)");
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                markers.add(ref.getProperty("component.name") + "=" + ref.getProperty("marker"));
            }
            return markers;
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    private static Path metadataStore(Layout layout) throws IOException {
        try (Stream<Path> files = Files.find(layout.state().resolve("felix-cache"), 3,
                (p, a) -> p.getFileName().toString().equals("componentMetadataStore"))) {
            return files.findFirst().orElse(null);
        }
    }

    /** SCR and what it needs, from the test class path, and a component bundle. */
    private static Layout installation(Path dir) throws IOException {
        Path home = dir.resolve("home");
        Path bundles = Files.createDirectories(home.resolve("bundle"));
        Files.createDirectories(home.resolve("lib"));
        StringBuilder list = new StringBuilder();
        for (Class<?> c : List.of(org.osgi.util.function.Function.class, org.osgi.util.promise.Promise.class,
                org.osgi.service.component.ComponentContext.class, org.apache.felix.scr.impl.Activator.class)) {
            Path jar = jarOf(c);
            Files.copy(jar, bundles.resolve(jar.getFileName()));
            list.append(c == org.apache.felix.scr.impl.Activator.class ? "2 " : "1 ").append(jar.getFileName()).append('\n');
        }
        list.append("3 test.component.jar\n");
        Files.writeString(bundles.resolve("bundles.list"), list);
        return new Layout(home, home.resolve("etc/crustyclaw.toml"), dir.resolve("state"), dir.resolve("deploy"));
    }

    private static Path jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bundle with one immediate component registering a service with {@code marker=value} */
    private static void writeBundle(Path jar, String name, String marker) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test.component");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Service-Component", "OSGI-INF/component.xml");
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\" immediate=\"true\">\n"
                + "  <implementation class=\"java.lang.Object\"/>\n"
                + "  <property name=\"marker\" value=\"" + marker + "\"/>\n"
                + "  <service><provide interface=\"java.lang.Object\"/></service>\n"
                + "</scr:component>\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            JarEntry entry = new JarEntry("OSGI-INF/component.xml");
            entry.setTime(0);
            out.putNextEntry(entry);
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.write(jar, bytes.toByteArray());
    }
}
