package org.crustyclaw.provider.common;

/**
 * One unit of a streamed body: a server-sent event ({@code event} its type, {@code message} when
 * the server named none) or one NDJSON line ({@code event} is {@code line}).
 *
 * @param event the event type
 * @param data  the event's data lines joined by LF, or the NDJSON line
 */
public record Frame(String event, String data) {}
