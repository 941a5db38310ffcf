package org.crustyclaw.credproxy;

/** How a message body is delimited. */
sealed interface Framing {

    /** No body. */
    record None() implements Framing {}

    /** Exactly {@code length} bytes. */
    record Length(long length) implements Framing {}

    /** {@code Transfer-Encoding: chunked}. */
    record Chunked() implements Framing {}

    /** Until the peer closes (responses only). */
    record UntilClose() implements Framing {}
}
