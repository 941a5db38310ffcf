package org.crustyclaw.api.egress;

import java.util.List;

/**
 * A secret a sandbox may use: it sees a random sentinel in {@code env}; the proxy swaps the
 * sentinel for the real value only in requests to one of {@code hosts}, and blocks a request
 * that carries it anywhere else.
 *
 * @param secret the name in the {@link org.crustyclaw.api.secret.SecretStore}
 * @param env    the environment variable holding the sentinel inside the sandbox
 * @param hosts  where the real value may go, never empty
 */
public record SecretGrant(String secret, String env, List<HostPattern> hosts) {

    public SecretGrant {
        hosts = List.copyOf(hosts);
        if (!secret.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new IllegalArgumentException("secret name '" + secret + "' is not [A-Za-z0-9_.-]{1,128}");
        }
        if (!env.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new IllegalArgumentException("environment variable '" + env + "' for secret " + secret
                    + " is not letters, digits and '_' (not starting with a digit)");
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("secret " + secret + " is bound to no host: name where it may be sent");
        }
    }

    /** Whether the real value may be sent to {@code host}. */
    public boolean boundTo(String host) {
        return hosts.stream().anyMatch(h -> h.matches(host));
    }
}
