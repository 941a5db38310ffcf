package org.crustyclaw.api.agent;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One run of a skill, as persisted.
 *
 * @param id           unique, short enough to type
 * @param skill        the skill's name
 * @param requester    the principal that submitted it
 * @param input        what was asked
 * @param state        where it is now
 * @param stopReason   why the loop stopped ({@code final answer}, {@code iteration limit},
 *                     {@code token budget}, {@code wall-clock budget}, {@code cost budget},
 *                     {@code cancelled}, {@code provider gone}, ...), empty while it runs
 * @param output       the final answer, empty until there is one
 * @param iterations   model turns taken
 * @param inputTokens  input tokens over all turns
 * @param outputTokens output tokens over all turns
 * @param costMicroUsd cost over all turns in millionths of a US dollar
 * @param created      when it was submitted
 * @param updated      when it last changed
 */
public record Task(String id, String skill, String requester, String input, TaskState state,
        Optional<String> stopReason, Optional<String> output, int iterations, long inputTokens, long outputTokens,
        long costMicroUsd, Instant created, Instant updated) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Task {
        requireId(id);
    }

    /** Throws naming the value when {@code id} is not a task id. */
    public static String requireId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("task id '" + id + "' is not 1-64 letters, digits, '_', '.' or '-'");
        }
        return id;
    }
}
