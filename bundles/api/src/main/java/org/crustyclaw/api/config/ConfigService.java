package org.crustyclaw.api.config;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon's configuration file, {@code crustyclaw.toml}. Each table maps to the
 * ConfigAdmin configuration of the component that declares it in its metatype.
 * Implemented by the config bundle.
 */
@ProviderType
public interface ConfigService {

    /** The file in force. */
    Path file();

    /** The effective configuration as TOML, every sensitive value redacted. */
    String effective();

    /** The configuration reference in Markdown: every section the installed bundles accept. */
    String reference();

    /** Checks a file against the schema of the installed bundles without applying it. */
    List<ConfigProblem> validate(Path file);

    /** Re-reads {@link #file()} and applies the changed sections, or rejects it whole. */
    ReloadResult reload();
}
