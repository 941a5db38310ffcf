package org.crustyclaw.api.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Installed bundles and their components, grouped by SPI type. {@code deploy/} is the
 * source of truth for plugins: installing copies a jar there, uninstalling removes it.
 * Implemented by the core.
 */
@ProviderType
public interface PluginRegistry {

    List<PluginBundle> bundles();

    /** Files in {@code deploy/} that failed, most recent attempt each. */
    List<DeployProblem> problems();

    /**
     * Copies a bundle jar into {@code deploy/} and waits until it is active.
     *
     * @throws IllegalArgumentException when the file is missing, not a bundle or does not resolve
     */
    PluginBundle install(Path jar, Duration wait);

    /**
     * Removes the plugin with this symbolic name from {@code deploy/} and waits until it is gone.
     *
     * @throws IllegalArgumentException when no plugin of that name was deployed
     */
    PluginBundle uninstall(String symbolicName, Duration wait);

    /**
     * Stops a bundle by symbolic name, in {@code bundle/} or {@code deploy/}: its services leave
     * at once and whatever needed them is refused with the reason, until {@link #start}.
     *
     * @throws IllegalArgumentException when no bundle has that name, or it is the framework itself
     */
    PluginBundle stop(String symbolicName);

    /** Starts a stopped bundle again. @throws IllegalArgumentException when none has that name or it cannot start */
    PluginBundle start(String symbolicName);
}
