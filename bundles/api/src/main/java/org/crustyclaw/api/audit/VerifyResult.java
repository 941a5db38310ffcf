package org.crustyclaw.api.audit;

/** What {@link AuditLog#verify()} found. */
public sealed interface VerifyResult {

    /**
     * Every event is where it should be and hashes to what the next one says.
     *
     * @param events how many events were checked
     * @param head   the hash of the last event (64 zeros for an empty log)
     */
    record Intact(long events, String head) implements VerifyResult {}

    /**
     * The first place where the chain breaks.
     *
     * @param seq     the sequence number of the first event that does not fit
     * @param problem what kind of break it is
     * @param detail  a sentence naming what was expected and found
     */
    record Broken(long seq, Problem problem, String detail) implements VerifyResult {}

    /** How a chain breaks. */
    enum Problem {
        /** An event's fields no longer hash to its recorded hash. */
        CHANGED,
        /** A sequence number is missing. */
        DELETED,
        /** Events are out of order: an event's previous hash names another event. */
        REORDERED,
        /**
         * The log ends before the head recorded outside the database (events removed from its
         * end, or all of them), or that record is missing.
         */
        TRUNCATED
    }
}
