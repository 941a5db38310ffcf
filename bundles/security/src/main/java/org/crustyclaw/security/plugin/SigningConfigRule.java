package org.crustyclaw.security.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.config.ConfigRule;
import org.crustyclaw.config.toml.Position;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlBoolean;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlString;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.config.toml.TomlValue;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code config validate} says what {@link SignedPluginHook} would otherwise only show by
 * refusing every jar: signing required (the default) with no trust store set, or one that does
 * not exist or holds no certificate. Wrong types are the metatype check's to report.
 */
@Component(service = ConfigRule.class)
public final class SigningConfigRule implements ConfigRule {

    private final Path home;

    @Activate
    public SigningConfigRule(BundleContext context) {
        this(SignedPluginHook.home(context));
    }

    SigningConfigRule(Path home) {
        this.home = home;
    }

    @Override
    public List<ConfigProblem> check(String file, String toml) {
        TomlTable root;
        try {
            root = Toml.parse(toml, file);
        } catch (TomlException e) {
            return List.of(); // the syntax error is reported by the file's own check
        }
        Optional<TomlValue> section = root.get("security");
        TomlTable security = section.filter(TomlTable.class::isInstance).map(TomlTable.class::cast).orElse(null);
        Optional<TomlValue> required = security == null ? Optional.empty() : security.get("require_signed_plugins");
        if (required.isPresent() && !(required.get() instanceof TomlBoolean)) {
            return List.of();
        }
        if (required.isPresent() && !((TomlBoolean) required.get()).value()) {
            return List.of();
        }
        Optional<TomlValue> store = security == null ? Optional.empty() : security.get("trust_store");
        if (store.isPresent() && !(store.get() instanceof TomlString)) {
            return List.of();
        }
        String value = store.map(v -> ((TomlString) v).value()).orElse(SignedPluginHook.DEFAULT_TRUST_STORE);
        // at the key when there is one, else the [security] table, else the whole file
        Optional<Position> at = store.map(TomlValue::position).or(() -> required.map(TomlValue::position))
                .or(() -> Optional.ofNullable(security).map(TomlTable::position));
        String on = required.isPresent() ? "security.require_signed_plugins is on" : "plugin signing is on by default";
        if (value.isBlank()) {
            return List.of(problem(file, at, on + " but security.trust_store is empty, so every plugin jar in deploy/ would be refused: "
                    + "expected a PEM file of trusted signers (the distribution ships " + SignedPluginHook.DEFAULT_TRUST_STORE
                    + "), or require_signed_plugins = false"));
        }
        Path resolved = Path.of(SignedPluginHook.resolve(home, value));
        try {
            JarSignatures.readTrustStore(resolved);
            return List.of();
        } catch (IOException e) {
            return List.of(problem(file, at, on + " but " + e.getMessage()
                    + (resolved.toString().equals(value) ? "" : " (trust_store '" + value + "' is relative to " + home + ")")
                    + "; every plugin jar in deploy/ would be refused"));
        }
    }

    private static ConfigProblem problem(String file, Optional<Position> at, String message) {
        return new ConfigProblem(file, at.map(Position::line).orElse(0), at.map(Position::column).orElse(0),
                "security.trust_store", message);
    }
}
