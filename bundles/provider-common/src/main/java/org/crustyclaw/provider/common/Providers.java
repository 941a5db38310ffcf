package org.crustyclaw.provider.common;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.secret.SecretStore;

/** What a provider component does with its configuration: a working provider, or one that says what is wrong. */
public final class Providers {

    private Providers() {}

    /**
     * A {@link StreamingProvider} on the settings, or, when they do not validate, a provider whose
     * state and every call say which value is wrong (so it still shows in {@code models list}).
     */
    public static ModelProvider open(String name, WireProtocol protocol, Supplier<ProviderSettings> settings,
            Supplier<Optional<SecretStore>> secrets, Supplier<Optional<AuditLog>> audit) {
        try {
            return new StreamingProvider(protocol, settings.get(), secrets, audit);
        } catch (IllegalArgumentException e) {
            return new Misconfigured(name, e.getMessage());
        }
    }

    /** Ends the calls in flight of a provider being replaced or removed. */
    public static void close(ModelProvider provider) {
        if (provider instanceof StreamingProvider s) {
            s.close();
        }
    }

    /** A provider whose configuration was refused. */
    record Misconfigured(String name, String problem) implements ModelProvider {
        @Override
        public List<String> models() {
            return List.of();
        }

        @Override
        public ProviderState state() {
            return new ProviderState(false, "misconfigured: " + problem);
        }

        @Override
        public void chat(ChatRequest request, Consumer<ChatEvent> events) {
            events.accept(new ChatEvent.Failed("provider " + name + " is misconfigured: " + problem, false));
        }
    }
}
