package org.crustyclaw.api.sandbox;

import java.util.Optional;

/**
 * One installed backend as {@code sandbox list} shows it.
 *
 * @param unavailableBecause empty when the backend can run here, otherwise why not
 */
public record BackendStatus(String name, IsolationLevel level, Optional<String> unavailableBecause) {

    public static BackendStatus of(SandboxBackend backend) {
        return new BackendStatus(backend.name(), backend.level(), backend.unavailableBecause());
    }

    public boolean available() {
        return unavailableBecause.isEmpty();
    }
}
