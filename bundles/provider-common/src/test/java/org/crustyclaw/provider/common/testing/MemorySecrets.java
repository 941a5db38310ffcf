package org.crustyclaw.provider.common.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;

/** A secret store in memory, for provider tests (the real one is the security bundle's). */
public final class MemorySecrets implements SecretStore {
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    public MemorySecrets with(String name, String value) {
        values.put(name, value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    @Override
    public Optional<Secret> get(String name) {
        return Optional.ofNullable(values.get(name)).map(v -> new Secret(name, v));
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(values.keySet());
    }

    @Override
    public List<SecretEntry> list() {
        return values.keySet().stream().sorted().map(n -> new SecretEntry(n, "store")).toList();
    }

    @Override
    public void set(Secret secret) {
        values.put(secret.name(), secret.reveal());
    }

    @Override
    public boolean remove(String name) {
        return values.remove(name) != null;
    }
}
