package org.crustyclaw.api.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run and within which limits.
 *
 * @param command     the program and its arguments, never empty
 * @param workspace   an absolute host directory, mounted read-write at the same path inside
 * @param environment the whole environment inside; host variables are never inherited
 * @param limits      the ceilings the backend enforces
 * @param image       the root filesystem to run in, backend-specific ({@code base} when unsure)
 */
public record SandboxSpec(List<String> command, Path workspace, Map<String, String> environment,
        ResourceLimits limits, String image) {

    public SandboxSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program to run");
        }
        if (!workspace.isAbsolute()) {
            throw new IllegalArgumentException("workspace must be an absolute path: " + workspace);
        }
        if (image.isBlank()) {
            throw new IllegalArgumentException("image is blank: give an image name such as 'base'");
        }
    }

    /** A spec with the default limits, an empty environment and the {@code base} image. */
    public static SandboxSpec of(Path workspace, List<String> command) {
        return new SandboxSpec(command, workspace, Map.of(), ResourceLimits.DEFAULT, "base");
    }

    public SandboxSpec withLimits(ResourceLimits newLimits) {
        return new SandboxSpec(command, workspace, environment, newLimits, image);
    }
}
