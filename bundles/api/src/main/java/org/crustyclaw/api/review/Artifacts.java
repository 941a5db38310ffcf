package org.crustyclaw.api.review;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a run produced, as gates see it.
 *
 * @param taskId    the task
 * @param workspace the workspace after the run
 * @param diff      unified diff of the changes, empty when none
 * @param logs      named logs (test output, build output)
 */
public record Artifacts(String taskId, Path workspace, String diff, Map<String, String> logs) {

    public Artifacts {
        logs = Map.copyOf(logs);
    }
}
