package org.crustyclaw.core.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.crustyclaw.api.runtime.PluginBundle;
import org.crustyclaw.api.runtime.PluginComponent;
import org.crustyclaw.api.runtime.SpiType;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Describes bundles and their DS components for the plugin registry. */
final class Components {

    private static final List<String> LABEL_PROPERTIES = List.of("crustyclaw.tool.name", "crustyclaw.blueprint.name",
            "crustyclaw.sandbox.backend", "crustyclaw.channel.name", "crustyclaw.model.name", "crustyclaw.gate.name");

    private Components() {}

    static List<PluginBundle> describe(Bundle[] bundles, ServiceComponentRuntime scr) {
        List<PluginBundle> result = new ArrayList<>();
        for (Bundle b : bundles) {
            List<PluginComponent> components = new ArrayList<>();
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                List<SpiType> types = new ArrayList<>();
                List<String> interfaces = d.serviceInterfaces == null ? List.of() : Arrays.asList(d.serviceInterfaces);
                for (SpiType t : SpiType.values()) {
                    if (interfaces.contains(t.serviceInterface())) {
                        types.add(t);
                    }
                }
                components.add(new PluginComponent(d.name, state(scr, d), types, ranking(d.properties), label(d.properties)));
            }
            result.add(new PluginBundle(b.getBundleId(), String.valueOf(b.getSymbolicName()), b.getVersion().toString(),
                    state(b.getState()), b.getLocation(), components));
        }
        return result;
    }

    private static String state(ServiceComponentRuntime scr, ComponentDescriptionDTO d) {
        if (!scr.isComponentEnabled(d)) {
            return "disabled";
        }
        var configs = scr.getComponentConfigurationDTOs(d);
        if (configs.isEmpty()) {
            return d.configurationPolicy.equals("require") ? "waiting for configuration" : "not activated";
        }
        return switch (configs.iterator().next().state) {
            case ComponentConfigurationDTO.ACTIVE -> "active";
            case ComponentConfigurationDTO.SATISFIED -> "satisfied";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "unsatisfied reference";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "unsatisfied configuration";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "failed activation";
            default -> "unknown";
        };
    }

    static String state(int bundleState) {
        return switch (bundleState) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get("service.ranking") instanceof Integer i ? i : 0;
    }

    private static String label(Map<String, Object> properties) {
        for (String key : LABEL_PROPERTIES) {
            Object v = properties.get(key);
            if (v != null) {
                return v instanceof String[] a ? String.join(",", a) : v.toString().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }
}
