package org.crustyclaw.sandbox.bwrap;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.sandbox.lines.BoundedLineSplitter;

/**
 * Forwards the lines of one stream as they come (at most 64 KiB each, longer ones cut and
 * marked by {@link BoundedLineSplitter}), on a pooled thread (a run starts no
 * thread of its own); the task ends with the stream.
 */
final class OutputPump implements Runnable {

    private final InputStream in;
    private final OutputLine.Stream stream;
    private final Consumer<OutputLine> sink;
    private final Object lock;
    private final CountDownLatch done = new CountDownLatch(1);

    private OutputPump(InputStream in, OutputLine.Stream stream, Consumer<OutputLine> sink, Object lock) {
        this.in = in;
        this.stream = stream;
        this.sink = sink;
        this.lock = lock;
    }

    /** {@code sink} is called from one pump at a time: callers need not be thread-safe. */
    static OutputPump start(Executor threads, InputStream in, OutputLine.Stream stream, Consumer<OutputLine> sink,
            Object lock) {
        OutputPump pump = new OutputPump(in, stream, sink, lock);
        try {
            threads.execute(pump);
        } catch (RejectedExecutionException e) {
            Thread thread = new Thread(pump, "sandbox-" + stream.name().toLowerCase(java.util.Locale.ROOT));
            thread.setDaemon(true); // the backend is shutting down: this run still gets its output
            thread.start();
        }
        return pump;
    }

    @Override
    public void run() {
        BoundedLineSplitter lines = new BoundedLineSplitter(line -> {
            synchronized (lock) {
                sink.accept(new OutputLine(stream, line));
            }
        });
        try {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                lines.accept(buffer, 0, n);
            }
            lines.finish();
        } catch (IOException e) {
            // the process is gone and its pipe closed: nothing more to forward
        } finally {
            done.countDown();
        }
    }

    /** Waits a little for the last lines after the process ended; never longer than {@code millis}. */
    void drain(long millis) {
        try {
            done.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
