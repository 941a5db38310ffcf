package org.crustyclaw.credproxy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Replaces byte patterns in a stream with others of the same length, holding back only the
 * last {@code longest - 1} bytes so that a pattern split across writes is still found. A
 * pattern with no replacement is forbidden: meeting it throws {@link Forbidden} before any
 * of its bytes are passed on. Equal lengths keep every Content-Length and chunk size true.
 */
final class Swap {

    /** One pattern: {@code replacement} empty means the pattern must not pass. */
    record Rule(String secret, byte[] find, byte[] replacement) {
        Rule {
            if (replacement.length != 0 && replacement.length != find.length) {
                throw new IllegalArgumentException("secret " + secret + ": replacement of another length");
            }
            if (find.length == 0) {
                throw new IllegalArgumentException("secret " + secret + ": empty pattern");
            }
        }
    }

    /** A forbidden pattern was met. */
    static final class Forbidden extends IOException {
        private static final long serialVersionUID = 1L;
        final String secret;

        Forbidden(String secret) {
            super("sentinel of secret " + secret + " aimed at a host it is not bound to");
            this.secret = secret;
        }
    }

    /** Where swapped bytes go. */
    interface Sink {
        void write(byte[] b, int off, int len) throws IOException;

        void finish() throws IOException;
    }

    static final Swap NONE = new Swap(List.of());

    private final List<Rule> rules;
    private final int keep;

    Swap(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.keep = rules.stream().mapToInt(r -> r.find().length).max().orElse(1) - 1;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Applies the rules to a whole value (a header, a target), returning the secrets swapped in. */
    byte[] apply(byte[] data, java.util.Set<String> used) throws Forbidden {
        byte[] out = data.clone();
        replaceAll(out, out.length, used);
        return out;
    }

    /** A streaming filter in front of {@code sink}; {@code used} collects the secrets swapped. */
    Sink filter(Sink sink, java.util.Set<String> used) {
        if (rules.isEmpty()) {
            return sink;
        }
        return new Sink() {
            private byte[] buf = new byte[65536 + keep];
            private int held;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, buf.length - held);
                    System.arraycopy(b, off, buf, held, n);
                    held += n;
                    off += n;
                    len -= n;
                    replaceAll(buf, held, used);
                    int emit = held - keep;
                    if (emit > 0) {
                        sink.write(buf, 0, emit);
                        System.arraycopy(buf, emit, buf, 0, held - emit);
                        held -= emit;
                    }
                }
            }

            @Override
            public void finish() throws IOException {
                replaceAll(buf, held, used);
                sink.write(buf, 0, held);
                held = 0;
                sink.finish();
            }
        };
    }

    private void replaceAll(byte[] data, int length, java.util.Set<String> used) throws Forbidden {
        for (Rule rule : rules) {
            byte[] find = rule.find();
            int from = 0;
            int at;
            while ((at = indexOf(data, length, find, from)) >= 0) {
                if (rule.replacement().length == 0) {
                    throw new Forbidden(rule.secret());
                }
                System.arraycopy(rule.replacement(), 0, data, at, find.length);
                used.add(rule.secret());
                from = at + find.length;
            }
        }
    }

    private static int indexOf(byte[] data, int length, byte[] find, int from) {
        byte first = find[0];
        int last = length - find.length;
        for (int i = from; i <= last; i++) {
            if (data[i] == first && Arrays.equals(data, i, i + find.length, find, 0, find.length)) {
                return i;
            }
        }
        return -1;
    }
}
