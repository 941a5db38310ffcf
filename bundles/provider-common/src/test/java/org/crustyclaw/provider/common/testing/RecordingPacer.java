package org.crustyclaw.provider.common.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.crustyclaw.provider.common.Pacer;

/** Records every wait asked for and returns at once, as if the time had passed. */
public final class RecordingPacer implements Pacer {
    public final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile long skipped;

    @Override
    public long nanoTime() {
        return System.nanoTime() + skipped;
    }

    @Override
    public boolean await(CountDownLatch abort, Duration d) {
        waits.add(d);
        skipped += d.toNanos();
        return abort.getCount() > 0;
    }
}
