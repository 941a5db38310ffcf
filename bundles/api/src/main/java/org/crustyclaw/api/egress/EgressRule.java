package org.crustyclaw.api.egress;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One allowance: requests to {@code host} on one of {@code ports} with one of {@code methods}
 * go out ({@link Action#ALLOW}) or wait for a human ({@link Action#ASK}). Anything no rule
 * names is denied. {@code CONNECT} among the methods allows an opaque tunnel to the host,
 * inside which methods cannot be seen; without it only requests the proxy can read go out.
 *
 * @param name    shown in audit events and {@code egress list}
 * @param host    the host or domain
 * @param ports   1..65535, never empty
 * @param methods upper-case HTTP methods, never empty
 * @param action  allow or ask
 */
public record EgressRule(String name, HostPattern host, Set<Integer> ports, Set<String> methods, Action action) {

    /** What a matching rule does. */
    public enum Action {
        /** The request goes out. */
        ALLOW,
        /** The request waits for an approval; the answer is remembered for the session. */
        ASK
    }

    /** The ports a rule gets when it names none. */
    public static final Set<Integer> DEFAULT_PORTS = Set.of(80, 443);

    public EgressRule {
        if (!name.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw new IllegalArgumentException("rule name '" + name + "' is not 1-64 letters, digits, '_', '.', ':' or '-'");
        }
        ports = Set.copyOf(new TreeSet<>(ports));
        methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (ports.isEmpty() || methods.isEmpty()) {
            throw new IllegalArgumentException("rule '" + name + "' names no " + (ports.isEmpty() ? "port" : "method"));
        }
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("rule '" + name + "': port " + port + " is not in 1..65535");
            }
        }
        for (String method : methods) {
            if (!method.matches("[A-Z]{1,20}")) {
                throw new IllegalArgumentException("rule '" + name + "': method '" + method + "' is not an HTTP method");
            }
        }
    }

    /** Whether this rule names the host, port and method. */
    public boolean matches(String hostName, int port, String method) {
        return host.matches(hostName) && ports.contains(port) && methods.contains(method);
    }
}
