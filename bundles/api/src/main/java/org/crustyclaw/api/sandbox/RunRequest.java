package org.crustyclaw.api.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.policy.Subject;

/**
 * A request to run one command in a sandbox chosen by the core.
 *
 * @param subject     who asks; checked by the policy engine and written to the audit log
 * @param tier        the trust tier of the code to run; picks the required isolation level
 * @param skill       the skill running, whose configured override may change the level
 * @param backend     a backend asked for by name; it must still meet the required level
 * @param command     the program and its arguments, never empty
 * @param workspace   an absolute host directory; empty to take a fresh one (from the warm pool when one fits)
 * @param environment the whole environment inside
 * @param limits      the ceilings the backend enforces
 * @param image       the root filesystem, {@code base} when unsure
 */
public record RunRequest(Subject subject, TrustTier tier, Optional<String> skill, Optional<String> backend,
        List<String> command, Optional<Path> workspace, Map<String, String> environment, ResourceLimits limits,
        String image) {

    public RunRequest {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program to run");
        }
        workspace.ifPresent(w -> {
            if (!w.isAbsolute()) {
                throw new IllegalArgumentException("workspace must be an absolute path: " + w);
            }
        });
        skill.ifPresent(s -> {
            if (!s.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("skill name '" + s + "' is not letters, digits, '.', '_' or '-'");
            }
        });
        if (image.isBlank()) {
            throw new IllegalArgumentException("image is blank: give an image name such as 'base'");
        }
    }

    /** A request with default limits, no skill, no backend asked for, a fresh workspace and the base image. */
    public static RunRequest of(Subject subject, TrustTier tier, List<String> command) {
        return new RunRequest(subject, tier, Optional.empty(), Optional.empty(), command, Optional.empty(), Map.of(),
                ResourceLimits.DEFAULT, "base");
    }

    public RunRequest withBackend(String name) {
        return new RunRequest(subject, tier, skill, Optional.of(name), command, workspace, environment, limits, image);
    }

    public RunRequest withSkill(String name) {
        return new RunRequest(subject, tier, Optional.of(name), backend, command, workspace, environment, limits, image);
    }

    public RunRequest withWorkspace(Path dir) {
        return new RunRequest(subject, tier, skill, backend, command, Optional.of(dir), environment, limits, image);
    }

    public RunRequest withLimits(ResourceLimits newLimits) {
        return new RunRequest(subject, tier, skill, backend, command, workspace, environment, newLimits, image);
    }

    /** The same request in another image, e.g. {@code build} (JDK, git) instead of {@code base}. */
    public RunRequest withImage(String name) {
        return new RunRequest(subject, tier, skill, backend, command, workspace, environment, limits, name);
    }
}
