package org.crustyclaw.api.blueprint;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A reusable plan: a directed acyclic graph of {@link Node}s. Register as an OSGi service
 * with {@link BlueprintName}; the core validates the graph when it arrives.
 */
@ConsumerType
public interface Blueprint {

    String name();

    String description();

    List<Node> nodes();

    /** How many CI rounds a run may use before it escalates to review. */
    default int ciBudget() {
        return 2;
    }
}
