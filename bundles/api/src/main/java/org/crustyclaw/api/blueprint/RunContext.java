package org.crustyclaw.api.blueprint;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a running node sees.
 *
 * @param taskId    the task this run belongs to
 * @param workspace the task's workspace on the host
 * @param outputs   outputs of the nodes this one depends on, by node id
 */
public record RunContext(String taskId, Path workspace, Map<String, String> outputs) {

    public RunContext {
        outputs = Map.copyOf(outputs);
        if (!workspace.isAbsolute()) {
            throw new IllegalArgumentException("workspace must be absolute: " + workspace);
        }
    }
}
