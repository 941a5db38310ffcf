package org.crustyclaw.api.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to run and within which limits.
 *
 * @param command     the program and its arguments, never empty
 * @param workspace   an absolute host directory, mounted read-write at the same path inside
 * @param environment the whole environment inside; host variables are never inherited
 * @param limits      the ceilings the backend enforces
 * @param image       the root filesystem to run in, backend-specific ({@code base} when unsure)
 * @param egress      the Unix socket of an {@link org.crustyclaw.api.egress.EgressSession}'s proxy: a backend
 *                    that routes egress makes it the sandbox's only way out (reachable inside as an HTTP
 *                    proxy on loopback, with {@code http_proxy} and {@code https_proxy} set to it, and no DNS
 *                    of its own); a backend that does not keeps the sandbox without any network. Empty: no
 *                    network at all
 */
public record SandboxSpec(List<String> command, Path workspace, Map<String, String> environment,
        ResourceLimits limits, String image, Optional<Path> egress) {

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
        egress.ifPresent(socket -> {
            if (!socket.isAbsolute()) {
                throw new IllegalArgumentException("egress socket must be an absolute path: " + socket);
            }
        });
    }

    /** A spec without network. */
    public SandboxSpec(List<String> command, Path workspace, Map<String, String> environment, ResourceLimits limits,
            String image) {
        this(command, workspace, environment, limits, image, Optional.empty());
    }

    /** A spec with the default limits, an empty environment and the {@code base} image. */
    public static SandboxSpec of(Path workspace, List<String> command) {
        return new SandboxSpec(command, workspace, Map.of(), ResourceLimits.DEFAULT, "base");
    }

    public SandboxSpec withLimits(ResourceLimits newLimits) {
        return new SandboxSpec(command, workspace, environment, newLimits, image, egress);
    }

    /** The same spec with its egress through the proxy listening on {@code socket}. */
    public SandboxSpec withEgress(Path socket) {
        return new SandboxSpec(command, workspace, environment, limits, image, Optional.of(socket));
    }
}
