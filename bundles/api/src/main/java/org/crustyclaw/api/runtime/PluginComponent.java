package org.crustyclaw.api.runtime;

import java.util.List;

/**
 * A DS component of a plugin bundle.
 *
 * @param name     the component name
 * @param state    {@code active}, {@code satisfied}, {@code unsatisfied reference}, {@code disabled}...
 * @param spiTypes the SPI interfaces it provides
 * @param ranking  its {@code service.ranking}, 0 when unset
 * @param label    the plugin's own name from its SPI property (tool name, backend name), or empty
 */
public record PluginComponent(String name, String state, List<SpiType> spiTypes, int ranking, String label) {

    public PluginComponent {
        spiTypes = List.copyOf(spiTypes);
    }
}
