package org.crustyclaw.api.runtime;

import java.util.List;

/**
 * An installed bundle and its DS components.
 *
 * @param id           the framework's bundle id
 * @param symbolicName the bundle symbolic name
 * @param version      the bundle version
 * @param state        {@code active}, {@code resolved}, {@code installed}...
 * @param location     where it was installed from
 * @param components   its DS components, empty for library bundles
 */
public record PluginBundle(long id, String symbolicName, String version, String state, String location,
        List<PluginComponent> components) {

    public PluginBundle {
        components = List.copyOf(components);
    }

    /** True when one of its components provides an SPI interface. */
    public boolean isPlugin() {
        return components.stream().anyMatch(c -> !c.spiTypes().isEmpty());
    }
}
