package org.crustyclaw.credproxy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.audit.VerifyResult;

/** An audit log that keeps events in memory and lets a test wait for the next one. */
final class RecordingAudit implements AuditLog {

    private final LinkedBlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>();
    private final List<AuditEvent> all = new ArrayList<>();
    private long seq;

    @Override
    public synchronized AuditEvent append(String type, String actor, Map<String, String> payload) {
        AuditEvent e = new AuditEvent(++seq, Instant.now(), type, actor, payload, "0".repeat(64), "0".repeat(64));
        all.add(e);
        queue.add(e);
        return e;
    }

    /** The next event recorded (waits for it; a generous guard against a hang, not a speed bound). */
    AuditEvent next() throws InterruptedException {
        AuditEvent e = queue.poll(60, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no audit event came");
        }
        return e;
    }

    /**
     * Waits until an event matching {@code test} is recorded and returns it. Events of
     * requests made one after the other may be recorded in either order: each is written
     * after its client got its answer.
     */
    AuditEvent await(java.util.function.Predicate<AuditEvent> test) throws InterruptedException {
        synchronized (this) {
            for (AuditEvent e : all) {
                if (test.test(e)) {
                    return e;
                }
            }
        }
        while (true) {
            AuditEvent e = next();
            if (test.test(e)) {
                return e;
            }
        }
    }

    /** The next event of {@code type}, skipping others. */
    AuditEvent next(String type) throws InterruptedException {
        while (true) {
            AuditEvent e = next();
            if (e.type().equals(type)) {
                return e;
            }
        }
    }

    @Override
    public synchronized List<AuditEvent> tail(int n) {
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    @Override
    public List<AuditEvent> after(long afterSeq, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<AuditEvent> since(Instant since) {
        throw new UnsupportedOperationException();
    }

    @Override
    public VerifyResult verify() {
        return new VerifyResult.Intact(seq, "0".repeat(64));
    }
}
