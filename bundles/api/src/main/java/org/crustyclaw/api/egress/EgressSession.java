package org.crustyclaw.api.egress;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One sandbox's way out: a proxy listening for it alone (on loopback and on a Unix socket),
 * the sentinels standing in for its secrets, and its limits. Closing it ends every open
 * connection and forgets the sentinels.
 */
@ProviderType
public interface EgressSession extends AutoCloseable {

    /** Unique per daemon; audit events name it as the sandbox. */
    String id();

    EgressPolicy policy();

    /** The loopback address of the HTTP proxy (forward requests and CONNECT). */
    InetSocketAddress proxyAddress();

    /**
     * A Unix socket speaking the same proxy protocol, in a directory of its own that a
     * backend can bind into a sandbox.
     */
    Path proxySocket();

    /** Environment variable to sentinel, one per granted secret. */
    Map<String, String> sentinels();

    /**
     * The environment a program needs to use this session: the sentinels and the proxy
     * variables ({@code http_proxy}, {@code https_proxy}, upper and lower case) pointing at
     * {@code proxyUrl}, the proxy as the sandbox reaches it.
     */
    default Map<String, String> environment(String proxyUrl) {
        Map<String, String> env = new LinkedHashMap<>(sentinels());
        for (String name : new String[] {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"}) {
            env.put(name, proxyUrl);
        }
        env.put("no_proxy", "");
        env.put("NO_PROXY", "");
        return Map.copyOf(env);
    }

    /** Ends every connection and forgets the sentinels. Never throws. */
    @Override
    void close();
}
