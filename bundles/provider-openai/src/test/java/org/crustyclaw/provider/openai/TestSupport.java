package org.crustyclaw.provider.openai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.provider.common.Pacer;

/** Peers of the provider under test: an in-memory secret store, a pacer that records its waits. */
final class TestSupport {

    private TestSupport() {}

    static String recorded(String name) throws IOException {
        try (InputStream in = TestSupport.class.getResourceAsStream("/recorded/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Records every wait asked for and returns at once, as if the time had passed. */
    static final class RecordingPacer implements Pacer {
        final List<Duration> waits = new CopyOnWriteArrayList<>();
        private volatile long skipped;

        @Override
        public long nanoTime() {
            return System.nanoTime() + skipped;
        }

        @Override
        public boolean await(CountDownLatch abort, Duration d) {
            waits.add(d);
            skipped += d.toNanos();
            return abort.getCount() > 0;
        }
    }

    static final class MemorySecrets implements SecretStore {
        private final Map<String, byte[]> values = new ConcurrentHashMap<>();

        MemorySecrets with(String name, String value) {
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

    /** Collects a call's events. */
    static final class Events implements java.util.function.Consumer<ChatEvent> {
        final List<ChatEvent> all = new CopyOnWriteArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);

        @Override
        public void accept(ChatEvent e) {
            all.add(e);
            first.countDown();
        }

        String text() {
            StringBuilder out = new StringBuilder();
            all.stream().filter(ChatEvent.TextDelta.class::isInstance).forEach(e -> out.append(((ChatEvent.TextDelta) e).text()));
            return out.toString();
        }

        List<ChatEvent.ToolCallRequested> calls() {
            List<ChatEvent.ToolCallRequested> calls = new ArrayList<>();
            all.stream().filter(ChatEvent.ToolCallRequested.class::isInstance).forEach(e -> calls.add((ChatEvent.ToolCallRequested) e));
            return calls;
        }

        ChatEvent last() {
            return all.get(all.size() - 1);
        }

        long terminals() {
            return all.stream().filter(e -> e instanceof ChatEvent.Done || e instanceof ChatEvent.Failed).count();
        }
    }
}
