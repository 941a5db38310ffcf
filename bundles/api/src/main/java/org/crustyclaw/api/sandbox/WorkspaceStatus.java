package org.crustyclaw.api.sandbox;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where fresh workspaces are made, as {@code status} and {@code sandbox list} show it.
 *
 * @param root               the directory fresh workspaces are made under
 * @param unavailableBecause empty when runs can get a fresh workspace now; otherwise why not
 *                           (such as another daemon owning the root), a sentence a user can act on
 */
public record WorkspaceStatus(Path root, Optional<String> unavailableBecause) {

    public WorkspaceStatus {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(unavailableBecause, "unavailableBecause");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("workspace root must be an absolute path: " + root);
        }
    }

    public boolean available() {
        return unavailableBecause.isEmpty();
    }
}
