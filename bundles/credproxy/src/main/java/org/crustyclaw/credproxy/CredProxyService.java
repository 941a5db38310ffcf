package org.crustyclaw.credproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.egress.Egress;
import org.crustyclaw.api.egress.EgressDecision;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.secret.SecretStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@link Egress} service; configuration PID {@code org.crustyclaw.credproxy}. */
@Component(service = Egress.class, configurationPid = CredProxyService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CredProxyService.Config.class)
public final class CredProxyService implements Egress {

    public static final String PID = "org.crustyclaw.credproxy";

    @ObjectClassDefinition(name = "CrustyClaw credential proxy", description = "Default-deny egress for sandboxes, with sentinel secrets")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds a client has to send a whole request head (slowloris bound)")
        long headTimeoutMillis() default 10000;

        @AttributeDefinition(description = "Milliseconds without a byte moving before a connection is closed")
        long idleTimeoutMillis() default 60000;

        @AttributeDefinition(description = "Milliseconds connecting to an upstream host may take")
        long connectTimeoutMillis() default 10000;

        @AttributeDefinition(description = "Largest request or response head in bytes")
        int maxHeadBytes() default 32768;

        @AttributeDefinition(description = "Most header fields in a head")
        int maxHeaders() default 100;

        @AttributeDefinition(description = "Connections at once over all sandboxes")
        int maxConnections() default 256;

        @AttributeDefinition(description = "Let allowed names resolve to loopback, private or link-local addresses (off: such a name is refused)")
        boolean allowPrivateUpstreams() default false;
    }

    private final Proxy proxy;
    private final Path runDir;

    @Activate
    public CredProxyService(Config config, @Reference AuditLog audit, @Reference SecretStore secrets) {
        try {
            this.runDir = Files.createTempDirectory("crustyclaw-egress-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the egress socket directory: " + e.getMessage(), e);
        }
        Settings settings = new Settings(runDir, config.headTimeoutMillis(), config.idleTimeoutMillis(),
                config.connectTimeoutMillis(), config.maxHeadBytes(), config.maxHeaders(), config.maxConnections(),
                config.allowPrivateUpstreams());
        this.proxy = new Proxy(settings, audit, secrets::get, InetAddress::getAllByName, Proxy.NO_APPROVALS);
    }

    @Deactivate
    void deactivate() {
        proxy.close();
        try {
            Files.deleteIfExists(runDir);
        } catch (IOException e) {
            // a session directory left behind keeps it; it is under the temporary directory
        }
    }

    @Override
    public EgressSession open(String sandbox, EgressPolicy policy) {
        return proxy.open(sandbox, policy);
    }

    @Override
    public EgressDecision decide(EgressPolicy policy, String method, URI url) {
        return proxy.decide(policy, method, url);
    }
}
