package org.crustyclaw.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlArray;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlString;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.config.toml.TomlValue;

/**
 * Where everything is. The installation ({@code bin/ lib/ bundle/ deploy/ etc/}) is the home;
 * the state directory holds what changes at run time. Precedence for the state directory:
 * {@code $CRUSTYCLAW_STATE}, then {@code [daemon] state_dir} of the configuration, then
 * {@code ~/.crustyclaw}.
 */
record Layout(Path home, Path config, Path state, Path deploy) {

    static Layout resolve(Optional<Path> configOption, Map<String, String> env) {
        Path home = home(env);
        Path config = configOption.or(() -> Optional.ofNullable(env.get("CRUSTYCLAW_CONFIG")).map(Path::of))
                .orElse(home.resolve("etc/crustyclaw.toml")).toAbsolutePath().normalize();
        Path state = Optional.ofNullable(env.get("CRUSTYCLAW_STATE")).filter(s -> !s.isBlank()).map(Path::of)
                .or(() -> daemonSetting(config, "state_dir").filter(s -> !s.isBlank()).map(s -> expand(s, env)))
                .orElse(Path.of(System.getProperty("user.home"), ".crustyclaw")).toAbsolutePath().normalize();
        Path deploy = Optional.ofNullable(env.get("CRUSTYCLAW_DEPLOY")).map(Path::of).orElse(home.resolve("deploy"))
                .toAbsolutePath().normalize();
        return new Layout(home, config, state, deploy);
    }

    Path bundles() {
        return home.resolve("bundle");
    }

    Path runDir() {
        return state.resolve("run");
    }

    Path socket() {
        return runDir().resolve("admin.sock");
    }

    Path pidFile() {
        return runDir().resolve("crustyclaw.pid");
    }

    Path logDir() {
        return state.resolve("logs");
    }

    /** JVM options for a daemon started in the background: {@code [daemon] jvm_options} or the defaults. */
    List<String> jvmOptions() {
        Optional<TomlValue> value = daemonValue(config, "jvm_options");
        if (value.isPresent() && value.get() instanceof TomlArray array) {
            List<String> options = new ArrayList<>();
            array.values().forEach(v -> options.add(v instanceof TomlString s ? s.value() : v.toString()));
            return options;
        }
        return List.of("-Xms16m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    }

    /** Seconds {@code stop} waits: {@code [daemon] shutdown_timeout_seconds}, default 30. */
    int shutdownTimeoutSeconds() {
        return daemonValue(config, "shutdown_timeout_seconds")
                .filter(org.crustyclaw.config.toml.TomlInteger.class::isInstance)
                .map(v -> (int) ((org.crustyclaw.config.toml.TomlInteger) v).value()).orElse(30);
    }

    static Properties buildInfo() {
        Properties p = new Properties();
        try (InputStream in = Layout.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // version then reads "unknown", which is the truth
        }
        return p;
    }

    private static Path home(Map<String, String> env) {
        String property = System.getProperty("crustyclaw.home");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        if (env.containsKey("CRUSTYCLAW_HOME")) {
            return Path.of(env.get("CRUSTYCLAW_HOME")).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Layout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            return Path.of(".").toAbsolutePath().normalize();
        }
    }

    private static Optional<String> daemonSetting(Path config, String key) {
        return daemonValue(config, key).filter(TomlString.class::isInstance).map(v -> ((TomlString) v).value());
    }

    /** Reads one {@code [daemon]} key; an unreadable file yields nothing here and is reported by validation. */
    private static Optional<TomlValue> daemonValue(Path config, String key) {
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        try {
            TomlTable root = Toml.parse(Files.readAllBytes(config), config.toString());
            return root.get("daemon").filter(TomlTable.class::isInstance).flatMap(t -> ((TomlTable) t).get(key));
        } catch (IOException | TomlException e) {
            return Optional.empty();
        }
    }

    private static Path expand(String path, Map<String, String> env) {
        if (path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), path.substring(2));
        }
        if (path.startsWith("$CRUSTYCLAW_HOME/")) {
            return home(env).resolve(path.substring("$CRUSTYCLAW_HOME/".length()));
        }
        return Path.of(path);
    }
}
