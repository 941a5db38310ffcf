package org.crustyclaw.credproxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strict HTTP/1.1 head reader (RFC 9112) with hard bounds: a head of at most
 * {@code maxBytes} and {@code maxHeaders} fields. Lines end in CRLF (a bare LF is refused),
 * obs-fold is refused, field names are tokens with no space before the colon, values hold
 * no control characters, and the body framing is unambiguous: Content-Length and
 * Transfer-Encoding together, two Content-Lengths, or any transfer coding but a single
 * {@code chunked} are refused, which closes the request-smuggling doors a proxy opens.
 */
final class HeadParser {

    private final int maxBytes;
    private final int maxHeaders;

    HeadParser(int maxBytes, int maxHeaders) {
        this.maxBytes = maxBytes;
        this.maxHeaders = maxHeaders;
    }

    /** A request head: {@code METHOD SP target SP HTTP/1.x}. */
    Head readRequest(InputStream in) throws IOException, BadMessage {
        Budget budget = new Budget(maxBytes);
        String line = readLine(in, budget, true);
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) {
            throw new BadMessage(400, "request line is not 'METHOD target HTTP/1.1': " + printable(line));
        }
        if (!parts[0].matches("[A-Z]{1,20}")) {
            throw new BadMessage(400, "method '" + printable(parts[0]) + "' is not 1-20 upper-case letters");
        }
        if (parts[1].isEmpty() || !visible(parts[1])) {
            throw new BadMessage(400, "request target is empty or holds spaces or control characters");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new BadMessage(505, "version '" + printable(parts[2]) + "' is not HTTP/1.1 or HTTP/1.0");
        }
        return new Head(parts[0], parts[1], parts[2], readHeaders(in, budget));
    }

    /** A response head: {@code HTTP/1.x SP 3DIGIT SP reason}. */
    Head readResponse(InputStream in) throws IOException, BadMessage {
        Budget budget = new Budget(maxBytes);
        String line = readLine(in, budget, true);
        if (!line.matches("HTTP/1\\.[01] [1-5][0-9][0-9](?: [\\t\\x20-\\x7e\\x80-\\xff]*)?")) {
            throw new BadMessage(502, "upstream status line is not 'HTTP/1.1 NNN reason': " + printable(line));
        }
        String reason = line.length() > 13 ? line.substring(13) : "";
        return new Head(line.substring(0, 8), line.substring(9, 12), reason, readHeaders(in, budget));
    }

    private List<Head.Header> readHeaders(InputStream in, Budget budget) throws IOException, BadMessage {
        List<Head.Header> headers = new ArrayList<>();
        while (true) {
            String line = readLine(in, budget, false);
            if (line.isEmpty()) {
                return headers;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadMessage(400, "obsolete line folding (a field line starting with white space) is refused");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadMessage(400, "field line has no name before ':': " + printable(line));
            }
            String name = line.substring(0, colon);
            if (!isToken(name)) {
                throw new BadMessage(400, "field name '" + printable(name) + "' is not a token (no spaces before ':')");
            }
            String value = line.substring(colon + 1).strip();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new BadMessage(400, "field " + name + " holds a control character");
                }
            }
            if (headers.size() == maxHeaders) {
                throw new BadMessage(431, "more than " + maxHeaders + " header fields");
            }
            headers.add(new Head.Header(name, value));
        }
    }

    /**
     * The body framing of a request (RFC 9112 section 6.3, strictly). Requests without
     * Content-Length or Transfer-Encoding have no body.
     */
    static Framing requestFraming(Head head) throws BadMessage {
        return framing(head, false);
    }

    /** The body framing of a response to {@code method}. */
    static Framing responseFraming(Head head, String method) throws BadMessage {
        int status = Integer.parseInt(head.second());
        if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
            return new Framing.None();
        }
        return framing(head, true);
    }

    private static Framing framing(Head head, boolean response) throws BadMessage {
        List<String> te = head.all("Transfer-Encoding");
        List<String> cl = head.all("Content-Length");
        int status = response ? 502 : 400;
        if (!te.isEmpty() && !cl.isEmpty()) {
            throw new BadMessage(status, "both Content-Length and Transfer-Encoding are present (request smuggling)");
        }
        if (!te.isEmpty()) {
            if (te.size() > 1 || !te.get(0).toLowerCase(Locale.ROOT).equals("chunked")) {
                throw new BadMessage(response ? 502 : 501, "Transfer-Encoding '" + printable(String.join(", ", te))
                        + "' is not a single 'chunked'");
            }
            if (head.third().equals("HTTP/1.0") && !response) {
                throw new BadMessage(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            return new Framing.Chunked();
        }
        if (!cl.isEmpty()) {
            if (cl.size() > 1) {
                throw new BadMessage(status, "more than one Content-Length field");
            }
            String v = cl.get(0);
            if (!v.matches("[0-9]{1,18}")) {
                throw new BadMessage(status, "Content-Length '" + printable(v) + "' is not 1-18 digits");
            }
            return new Framing.Length(Long.parseLong(v));
        }
        return response ? new Framing.UntilClose() : new Framing.None();
    }

    /** One CRLF-terminated line as ISO-8859-1 text, CRLF removed. */
    static String readLine(InputStream in, Budget budget, boolean first) throws IOException, BadMessage {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new BadMessage(400, first && line.length() == 0 && budget.used == 0
                        ? "connection closed before a request" : "connection closed inside the head");
            }
            budget.take(1);
            if (b == '\r') {
                int n = in.read();
                budget.take(1);
                if (n != '\n') {
                    throw new BadMessage(400, "CR not followed by LF in the head");
                }
                return line.toString();
            }
            if (b == '\n') {
                throw new BadMessage(400, "bare LF ends a head line (CRLF expected)");
            }
            line.append((char) b);
        }
    }

    /** Bytes left for one head. */
    static final class Budget {
        private final int max;
        private int used;

        Budget(int max) {
            this.max = max;
        }

        void take(int n) throws BadMessage {
            used += n;
            if (used > max) {
                throw new BadMessage(431, "head is larger than " + max + " bytes");
            }
        }
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean visible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** At most 80 characters, control and non-ASCII characters shown as '?'. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c >= 0x7f ? '?' : c);
        }
        return s.length() > 80 ? b.append("...").toString() : b.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
