package org.crustyclaw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCacheTest {

    private static Layout installation(Path dir) throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("bundle"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("bundle/bundles.list"), "1 a.jar\n");
        Files.writeString(home.resolve("bundle/a.jar"), "jar a");
        return new Layout(home, home.resolve("etc/crustyclaw.toml"), dir.resolve("state"), home.resolve("deploy"));
    }

    @Test
    void aCacheIsReusedOnlyAfterAFullInstallFromTheSameJars(@TempDir Path dir) throws IOException {
        Layout layout = installation(dir);
        BundleCache cache = BundleCache.of(layout);
        assertThat(cache.reusable()).as("nothing installed yet").isFalse();

        Files.createDirectories(cache.dir());
        cache.remember();
        assertThat(BundleCache.of(layout).reusable()).isTrue();
        assertThat(cache.rememberedAt()).isLessThanOrEqualTo(System.currentTimeMillis());

        Path jar = layout.bundles().resolve("a.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertThat(BundleCache.of(layout).reusable()).as("a jar changed").isFalse();

        BundleCache again = BundleCache.of(layout);
        again.remember();
        Files.writeString(layout.bundles().resolve("bundles.list"), "2 a.jar\n");
        assertThat(BundleCache.of(layout).reusable()).as("the start order changed").isFalse();

        BundleCache listed = BundleCache.of(layout);
        listed.remember();
        listed.forget();
        assertThat(BundleCache.of(layout).reusable()).as("a clean start began and did not finish").isFalse();
    }

    @Test
    void bundleDataAreasGoButTheInstalledBundlesStay(@TempDir Path dir) throws IOException {
        BundleCache cache = BundleCache.of(installation(dir));
        Path bundle = Files.createDirectories(cache.dir().resolve("bundle7"));
        Files.createDirectories(bundle.resolve("version0.0"));
        Files.writeString(bundle.resolve("version0.0/bundle.jar"), "jar");
        Files.createDirectories(bundle.resolve("data/config/org/crustyclaw"));
        Files.writeString(bundle.resolve("data/config/org/crustyclaw/security.config"), "old = \"value\"");

        cache.clearBundleData(null);

        assertThat(bundle.resolve("data")).doesNotExist();
        assertThat(bundle.resolve("version0.0/bundle.jar")).exists();
    }
}
