package org.crustyclaw.security.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import org.crustyclaw.api.secret.Secret;
import org.junit.jupiter.api.Test;

class LogScrubbingTest {

    @Test
    void logLinesLoseSecretValuesAndTokenShapesUntilTheBundleStops() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        StreamHandler handler = new StreamHandler(sink, new SimpleFormatter());
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        RedactionService redaction = new RedactionService();
        redaction.remember(Secret.ofUtf8("db", "correct-horse-battery".toCharArray()));
        LogScrubbing scrubbing = new LogScrubbing(redaction);
        try {
            Logger.getLogger("test.scrub").severe("connecting with correct-horse-battery and Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456");
            handler.flush();
            String text = sink.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("connecting with").doesNotContain("correct-horse-battery")
                    .doesNotContain("abcdefghijklmnopqrstuvwxyz123456").contains(Secret.REDACTED);
        } finally {
            scrubbing.restore();
        }
        sink.reset();
        Logger.getLogger("test.scrub").severe("plain correct-horse-battery");
        handler.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8)).contains("correct-horse-battery");
        root.removeHandler(handler);
    }
}
