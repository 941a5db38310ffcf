package org.crustyclaw.api.model;

/**
 * Whether a provider's server answered a probe.
 *
 * @param reachable true when the server answered as the provider expects
 * @param detail    what was tried (URL, models found) and, when unreachable, why and what to
 *                  configure (the {@code [provider.NAME]} keys); never a secret
 */
public record ProviderState(boolean reachable, String detail) {

    public ProviderState {
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("provider state without detail");
        }
    }
}
