package org.crustyclaw.sandbox.bwrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.OutputLine;

/** Forwards the lines of one stream as they come; a daemon thread ends with the stream. */
final class OutputPump {

    private final Thread thread;

    /** {@code sink} is called from one pump at a time: callers need not be thread-safe. */
    OutputPump(BufferedReader in, OutputLine.Stream stream, Consumer<OutputLine> sink, Object lock) {
        thread = new Thread(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lock) {
                        sink.accept(new OutputLine(stream, line));
                    }
                }
            } catch (IOException e) {
                // the process is gone and its pipe closed: nothing more to forward
            }
        }, "sandbox-" + stream.name().toLowerCase(java.util.Locale.ROOT));
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits a little for the last lines after the process ended; never longer than {@code millis}. */
    void drain(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
