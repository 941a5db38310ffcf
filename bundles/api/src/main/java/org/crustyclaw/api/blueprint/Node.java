package org.crustyclaw.api.blueprint;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.crustyclaw.api.sandbox.TrustTier;

/**
 * One step of a blueprint.
 *
 * @param id        unique within the blueprint
 * @param kind      a fixed step or a model-driven loop
 * @param dependsOn ids of the nodes that must finish first
 * @param tier      the trust tier the step runs under
 * @param settings  kind-specific settings: {@code command} for a deterministic step;
 *                  {@code prompt}, {@code tools}, {@code max_turns} for an agent loop
 */
public record Node(String id, Kind kind, List<String> dependsOn, TrustTier tier, Map<String, Object> settings) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public enum Kind { DETERMINISTIC, AGENT_LOOP }

    public Node {
        dependsOn = List.copyOf(dependsOn);
        settings = Map.copyOf(settings);
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("node id '" + id + "' is not 1-64 lower case letters, digits, '-' or '_'");
        }
        if (dependsOn.contains(id)) {
            throw new IllegalArgumentException("node '" + id + "' depends on itself");
        }
    }
}
