package org.crustyclaw.api.agent;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable agent tasks. Every skill run is a task persisted as it goes: its conversation,
 * every tool call with its result (recorded before the model sees it), costs and output. A
 * task interrupted by a crash is found again after the restart and {@link #resume}d from its
 * last completed step without repeating a finished tool call. Implemented by the agent bundle.
 */
@ProviderType
public interface Tasks {

    /**
     * Queues a run of the request's skill and returns at once.
     *
     * @throws IllegalArgumentException naming the skill when it is unknown
     */
    Task submit(TaskRequest request);

    /** The most recent tasks first, at most {@code limit}. */
    List<Task> list(int limit);

    Optional<Task> find(String id);

    /** The task's events with {@code seq > afterSeq}, oldest first. */
    List<TaskEvent> events(String id, long afterSeq);

    /**
     * Delivers the task's events after {@code afterSeq} as they happen, on the calling
     * thread, and returns once the task reached a terminal state and its last event was
     * delivered. Interrupting the thread ends the following, not the task.
     *
     * @throws IllegalArgumentException when the id is unknown
     */
    void follow(String id, long afterSeq, Consumer<TaskEvent> events) throws InterruptedException;

    /**
     * Cancels a queued, running or waiting task; the loop stops at its next step and
     * records {@code cancelled}.
     *
     * @throws IllegalArgumentException when the id is unknown or the task has ended
     */
    Task cancel(String id);

    /**
     * Continues a task that was interrupted (daemon killed, provider gone) or stopped on a
     * budget, from its last completed step; finished tool calls are not run again.
     *
     * @throws IllegalArgumentException when the id is unknown, the task succeeded, or it runs
     */
    Task resume(String id);
}
