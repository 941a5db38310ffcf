package org.crustyclaw.provider.common.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.crustyclaw.api.model.ChatEvent;

/** Collects a call's events; {@link #first} opens at the first one. */
public final class Events implements Consumer<ChatEvent> {
    public final List<ChatEvent> all = new CopyOnWriteArrayList<>();
    public final CountDownLatch first = new CountDownLatch(1);

    @Override
    public void accept(ChatEvent e) {
        all.add(e);
        first.countDown();
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        all.stream().filter(ChatEvent.TextDelta.class::isInstance).forEach(e -> out.append(((ChatEvent.TextDelta) e).text()));
        return out.toString();
    }

    public List<ChatEvent.ToolCallRequested> calls() {
        return all.stream().filter(ChatEvent.ToolCallRequested.class::isInstance).map(ChatEvent.ToolCallRequested.class::cast).toList();
    }

    public ChatEvent last() {
        return all.get(all.size() - 1);
    }

    public long terminals() {
        return all.stream().filter(e -> e instanceof ChatEvent.Done || e instanceof ChatEvent.Failed).count();
    }
}
