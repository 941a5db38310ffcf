package org.crustyclaw.api.egress;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name a rule or a secret grant names: exact ({@code api.example.com}) or every
 * subdomain of a domain ({@code *.example.com}, which does not match {@code example.com}
 * itself). Names only: an IP literal is refused here, so an allowed name can never be
 * reached by its address instead.
 *
 * @param pattern lower-case DNS labels, optionally behind a leading {@code *.}
 */
public record HostPattern(String pattern) {

    private static final Pattern LABELS = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

    public HostPattern {
        String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (name.length() > 253 || !LABELS.matcher(name).matches()) {
            throw new IllegalArgumentException("host pattern '" + pattern
                    + "' is not a lower-case host name (labels of a-z, 0-9, '-') or '*.' and one");
        }
        if (IPV4.matcher(name).matches()) {
            throw new IllegalArgumentException("host pattern '" + pattern
                    + "' is an IP address: rules name hosts, the proxy resolves them");
        }
    }

    /** Parses user input: trims and lower-cases first. */
    public static HostPattern parse(String text) {
        return new HostPattern(text.strip().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code host} (already lower case, no trailing dot) is named by this pattern. */
    public boolean matches(String host) {
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
        }
        return host.equals(pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
