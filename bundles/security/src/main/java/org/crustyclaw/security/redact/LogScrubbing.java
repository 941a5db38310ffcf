package org.crustyclaw.security.redact;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.crustyclaw.api.secret.Redaction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Puts the log pipeline behind {@link Redaction#scrub}: every handler of the root logger
 * (the daemon's log file and, in the foreground, stderr) formats through a scrubbing
 * formatter, so a loaded secret's value or a token-shaped string never reaches a log line,
 * whichever bundle logged it. The original formatters come back when this bundle stops.
 */
@Component(immediate = true)
public final class LogScrubbing {

    private final Map<Handler, Formatter> originals = new IdentityHashMap<>();

    @Activate
    public LogScrubbing(@Reference Redaction redaction) {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            Formatter original = handler.getFormatter();
            originals.put(handler, original);
            handler.setFormatter(new Scrubbing(original, redaction));
        }
    }

    @Deactivate
    void restore() {
        originals.forEach(Handler::setFormatter);
        originals.clear();
    }

    /** Formats as before, then scrubs. */
    static final class Scrubbing extends Formatter {
        private final Formatter delegate;
        private final Redaction redaction;

        Scrubbing(Formatter delegate, Redaction redaction) {
            this.delegate = delegate;
            this.redaction = redaction;
        }

        @Override
        public String format(LogRecord record) {
            return redaction.scrub(delegate.format(record));
        }

        @Override
        public String getHead(Handler h) {
            return delegate.getHead(h);
        }

        @Override
        public String getTail(Handler h) {
            return delegate.getTail(h);
        }
    }
}
