package org.crustyclaw.credproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for the proxy's request parser and body decoder, and for the sentinel swap.
 * In the normal test run they replay the seeds under
 * {@code src/test/resources/.../RequestParserFuzzTestInputs}; with {@code JAZZER_FUZZ=1}
 * they fuzz for {@code maxDuration} (see docs/security.md).
 */
class RequestParserFuzzTest {

    /**
     * Any bytes: a head with unambiguous framing and a body, or a {@link BadMessage} with a
     * status; never another exception, and never more than the head bound held.
     */
    @FuzzTest(maxDuration = "30s")
    void requestsNeverCrashTheParser(byte[] input) throws IOException {
        HeadParser parser = new HeadParser(4096, 32);
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try {
            Head head = parser.readRequest(in);
            assertThat(head.headers()).hasSizeLessThanOrEqualTo(32);
            Target.of(head.first(), head.second());
            Framing framing = HeadParser.requestFraming(head);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Bodies.copy(in, framing, Bodies.raw(body, -1), new Bodies.Meter() {
                long left = 1 << 16;

                @Override
                public void take(long n) {
                    left -= n;
                }

                @Override
                public long remaining() {
                    return left;
                }
            }, true);
            assertThat(body.size()).isLessThanOrEqualTo(input.length);
        } catch (BadMessage expected) {
            assertThat(expected.status).isBetween(400, 505);
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /**
     * A stream cut anywhere comes out of the swap as long as it went in, with every allowed
     * pattern swapped and a forbidden one either refused or absent.
     */
    @FuzzTest(maxDuration = "30s")
    void swapsKeepLengthAndNeverLeak(FuzzedDataProvider data) throws IOException {
        byte[] allowed = "ccsAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII);
        byte[] forbidden = "ccsBBBBBBBBBBBBB".getBytes(StandardCharsets.US_ASCII);
        Swap swap = new Swap(List.of(new Swap.Rule("A", allowed, "REALREALREALREAL".getBytes(StandardCharsets.US_ASCII)),
                new Swap.Rule("B", forbidden, new byte[0])));
        byte[] input = data.consumeBytes(4096);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Swap.Sink sink = swap.filter(Bodies.raw(out, -1), new HashSet<>());
        try {
            int at = 0;
            while (at < input.length) {
                int n = Math.min(input.length - at, 1 + data.consumeInt(0, 64));
                sink.write(input, at, n);
                at += n;
            }
            sink.finish();
            String text = out.toString(StandardCharsets.US_ASCII);
            assertThat(out.size()).isEqualTo(input.length);
            assertThat(text).doesNotContain("ccsAAAAAAAAAAAAA").doesNotContain("ccsBBBBBBBBBBBBB");
        } catch (Swap.Forbidden refused) {
            assertThat(new String(input, StandardCharsets.US_ASCII)).contains("ccsBBBBBBBBBBBBB");
        }
    }
}
