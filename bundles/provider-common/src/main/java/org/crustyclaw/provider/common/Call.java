package org.crustyclaw.provider.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chat call in flight: what is open (the pending exchange, the body) so that a cancel, a
 * timeout or the provider going away closes it, and why it was aborted.
 */
final class Call {

    /** Why a call was ended from outside its own flow. */
    enum Abort { CANCELLED, GONE, READ_TIMEOUT, TOTAL_TIMEOUT }

    private final AtomicReference<Abort> abort = new AtomicReference<>();
    final CountDownLatch aborted = new CountDownLatch(1);
    private volatile CompletableFuture<?> pending;
    private volatile InputStream body;
    volatile long lastByteNanos = System.nanoTime();

    /** Records the first reason and closes whatever is open; later reasons are ignored. */
    void abort(Abort reason) {
        if (abort.compareAndSet(null, reason)) {
            aborted.countDown();
            CompletableFuture<?> f = pending;
            if (f != null) {
                f.cancel(true);
            }
            closeBody();
        }
    }

    Abort reason() {
        return abort.get();
    }

    boolean isAborted() {
        return abort.get() != null;
    }

    void pending(CompletableFuture<?> f) {
        pending = f;
        if (isAborted()) {
            f.cancel(true);
        }
    }

    /** Holds the body so an abort can close it; each byte read counts as life for the read timeout. */
    InputStream body(InputStream in) {
        InputStream counted = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                lastByteNanos = System.nanoTime();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                lastByteNanos = System.nanoTime();
                return n;
            }
        };
        body = in;
        if (isAborted()) {
            closeBody();
        }
        return counted;
    }

    void closeBody() {
        InputStream b = body;
        if (b != null) {
            try {
                b.close();
            } catch (IOException ignored) {
                // closing is how we stop reading; a failure to close changes nothing for the caller
            }
        }
    }
}
