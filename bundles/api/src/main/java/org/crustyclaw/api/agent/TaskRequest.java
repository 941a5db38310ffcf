package org.crustyclaw.api.agent;

import java.nio.file.Path;
import java.util.Optional;

import org.crustyclaw.api.policy.Principal;

/**
 * A request to run a skill.
 *
 * @param skill     the skill's name
 * @param input     what to do, the requester's own words (trusted)
 * @param requester who asks: their roles decide every tool call
 * @param workspace an existing directory to work in (a checkout); empty for a fresh one
 */
public record TaskRequest(String skill, String input, Principal.Authenticated requester, Optional<Path> workspace) {

    public TaskRequest {
        if (input.isBlank()) {
            throw new IllegalArgumentException("task input is empty: say what the skill should do");
        }
        workspace.ifPresent(w -> {
            if (!w.isAbsolute()) {
                throw new IllegalArgumentException("workspace must be an absolute path: " + w);
            }
        });
    }
}
