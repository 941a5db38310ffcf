package org.crustyclaw.credproxy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a proxy request goes: from an absolute {@code http://} URL or a CONNECT authority.
 *
 * @param host      lower case, no trailing dot
 * @param port      1..65535
 * @param path      origin-form ({@code /p?q}); empty for CONNECT
 * @param ipLiteral whether the host is an address rather than a name
 */
record Target(String host, int port, String path, boolean ipLiteral) {

    private static final Pattern NAME = Pattern.compile(
            "(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DOTTED = Pattern.compile("[0-9.]+|0x[0-9a-f.x]+");

    /** The target of a request head. */
    static Target of(String method, String target) throws BadMessage {
        if (method.equals("CONNECT")) {
            return authority(target, -1, "");
        }
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            throw new BadMessage(400, "https:// URLs go through CONNECT, not as a forward request");
        }
        if (!lower.startsWith("http://")) {
            throw new BadMessage(400, "a proxy request needs an absolute http:// URL (or CONNECT host:port), not '"
                    + HeadParser.printable(target) + "'");
        }
        String rest = target.substring(7);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String path = rest.substring(end);
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        if (path.isEmpty() || path.charAt(0) == '?') {
            path = "/" + path;
        }
        return authority(rest.substring(0, end), 80, path);
    }

    private static Target authority(String authority, int defaultPort, String path) throws BadMessage {
        if (authority.indexOf('@') >= 0) {
            throw new BadMessage(400, "user information in the URL is refused");
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new BadMessage(400, "unclosed '[' in host '" + HeadParser.printable(authority) + "'");
            }
            host = authority.substring(0, close + 1);
            port = authority.length() > close + 1 && authority.charAt(close + 1) == ':'
                    ? authority.substring(close + 2) : (authority.length() == close + 1 ? "" : null);
            if (port == null) {
                throw new BadMessage(400, "junk after ']' in '" + HeadParser.printable(authority) + "'");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            port = colon >= 0 ? authority.substring(colon + 1) : "";
        }
        int number;
        if (port.isEmpty()) {
            if (defaultPort < 0) {
                throw new BadMessage(400, "CONNECT target '" + HeadParser.printable(authority) + "' has no port");
            }
            number = defaultPort;
        } else if (!port.matches("[0-9]{1,5}") || (number = Integer.parseInt(port)) < 1 || number > 65535) {
            throw new BadMessage(400, "port '" + HeadParser.printable(port) + "' is not 1..65535");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("[") || DOTTED.matcher(host).matches()) {
            return new Target(host, number, path, true);
        }
        if (host.isEmpty() || host.length() > 253 || !NAME.matcher(host).matches()) {
            throw new BadMessage(400, "host '" + HeadParser.printable(host) + "' is not a host name");
        }
        return new Target(host, number, path, false);
    }

    /** The path with its query replaced by {@code ?<redacted>}, for audit events. */
    String redactedPath() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q) + "?<redacted>";
    }

    /** {@code host} or {@code host:port} as a Host header says it. */
    String hostHeader() {
        return port == 80 ? host : host + ":" + port;
    }
}
