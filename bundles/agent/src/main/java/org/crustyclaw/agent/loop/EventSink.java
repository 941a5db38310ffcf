package org.crustyclaw.agent.loop;

import java.util.Map;

import org.crustyclaw.api.agent.TaskEvent;

/** Where the loop records what happens: persisted, then handed to followers. */
@FunctionalInterface
public interface EventSink {
    void emit(String taskId, TaskEvent.Kind kind, String text, Map<String, String> detail);
}
