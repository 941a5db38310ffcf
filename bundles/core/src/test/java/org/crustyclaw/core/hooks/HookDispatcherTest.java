package org.crustyclaw.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.hook.Hook;
import org.crustyclaw.api.hook.HookEvent;
import org.crustyclaw.api.hook.HookResult;
import org.crustyclaw.api.hook.Hooks;
import org.junit.jupiter.api.Test;

class HookDispatcherTest {

    private final HookDispatcher dispatcher = new HookDispatcher();
    private final List<String> calls = new ArrayList<>();
    private long nextId = 1;

    private Hook register(String name, Object events, int priority, HookResult answer) {
        Hook hook = event -> {
            calls.add(name);
            return answer;
        };
        dispatcher.addHook(hook, Map.of("service.id", nextId++, "component.name", name, "crustyclaw.hook.events", events,
                "crustyclaw.hook.priority", priority));
        return hook;
    }

    @Test
    void deliversToMatchingHooksHighestPriorityFirst() {
        register("low", "task.*", -5, HookResult.CONTINUE);
        register("high", new String[] {"task.created"}, 10, HookResult.CONTINUE);
        register("all", "*", 0, HookResult.CONTINUE);
        register("other", "sandbox.exec", 100, HookResult.CONTINUE);
        var outcome = dispatcher.fire(HookEvent.of("task.created", false, Map.of()));
        assertThat(calls).containsExactly("high", "all", "low");
        assertThat(outcome).isEqualTo(new Hooks.Outcome.Delivered(3));
    }

    @Test
    void firstVetoStopsAVetoableEvent() {
        register("veto", "plugin.install", 5, new HookResult.Veto("unsigned"));
        register("later", "plugin.install", 1, HookResult.CONTINUE);
        var outcome = dispatcher.fire(HookEvent.of("plugin.install", true, Map.of("file", "x.jar")));
        assertThat(outcome).isEqualTo(new Hooks.Outcome.Vetoed("veto", "unsigned"));
        assertThat(calls).containsExactly("veto");
    }

    @Test
    void vetoOfANonVetoableEventIsIgnoredAndFailingHooksDoNotStopDelivery() {
        register("veto", "task.done", 5, new HookResult.Veto("no"));
        dispatcher.addHook(event -> {
            throw new IllegalStateException("boom");
        }, Map.of("service.id", 99L, "crustyclaw.hook.events", "task.done", "crustyclaw.hook.priority", 3));
        register("last", "task.done", 1, HookResult.CONTINUE);
        assertThat(dispatcher.fire(HookEvent.of("task.done", false, Map.of()))).isEqualTo(new Hooks.Outcome.Delivered(3));
        assertThat(calls).containsExactly("veto", "last");
    }

    @Test
    void removedHooksNoLongerReceiveEvents() {
        Hook hook = register("gone", "*", 0, HookResult.CONTINUE);
        dispatcher.removeHook(hook, Map.of("service.id", 1L));
        assertThat(dispatcher.fire(HookEvent.of("task.created", false, Map.of()))).isEqualTo(new Hooks.Outcome.Delivered(0));
    }
}
