package org.crustyclaw.security.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.hook.Hook;
import org.crustyclaw.api.hook.HookEvent;
import org.crustyclaw.api.hook.HookEvents;
import org.crustyclaw.api.hook.HookPriority;
import org.crustyclaw.api.hook.HookResult;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Vetoes {@code plugin.install} of a jar from {@code deploy/} that is not signed by the trust
 * store when {@code security.require_signed_plugins} is on (the default); every refusal is
 * audited. A relative trust store is resolved against the installation directory, so the
 * default finds the certificate the build put in {@code etc/plugin-signers.pem}.
 */
@Component(service = Hook.class, configurationPid = SignedPluginHook.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HookEvents("plugin.install")
@HookPriority(1000)
@Designate(ocd = SignedPluginHook.Config.class)
public final class SignedPluginHook implements Hook {

    public static final String PID = "org.crustyclaw.security";

    @ObjectClassDefinition(name = "CrustyClaw security", description = "[security] in crustyclaw.toml")
    public @interface Config {
        @AttributeDefinition(description = "Refuse plugin bundles from deploy/ unless signed by a certificate of trustStore")
        boolean requireSignedPlugins() default true;

        @AttributeDefinition(description = "PEM file of the certificates trusted to sign plugins (a signer or its issuer); "
                + "relative to the installation directory")
        String trustStore() default DEFAULT_TRUST_STORE;
    }

    /** The trust store the distribution ships: the certificate of the key that signed examples/. */
    public static final String DEFAULT_TRUST_STORE = "etc/plugin-signers.pem";

    private final boolean required;
    private final String trustStore;
    private final JarSignatures signatures;
    private final String problem;
    private final AuditLog audit;

    @Activate
    public SignedPluginHook(Config config, BundleContext context, @Reference AuditLog audit) {
        this(config.requireSignedPlugins(), resolve(home(context), config.trustStore()), audit);
    }

    /** The installation directory the daemon runs from ({@code crustyclaw.home}), else the working directory. */
    static Path home(BundleContext context) {
        return Path.of(Objects.requireNonNullElse(context.getProperty("crustyclaw.home"), "."));
    }

    /** {@code trustStore} as an absolute path, relative ones against {@code home}; blank stays blank. */
    static String resolve(Path home, String trustStore) {
        if (trustStore.isBlank()) {
            return trustStore;
        }
        return home.resolve(trustStore).toAbsolutePath().normalize().toString();
    }

    public SignedPluginHook(boolean required, String trustStore, AuditLog audit) {
        this.required = required;
        this.trustStore = trustStore;
        this.audit = audit;
        JarSignatures loaded = null;
        String why = "";
        if (required) {
            if (trustStore.isBlank()) {
                why = "security.require_signed_plugins is on but security.trust_store is not set: expected a PEM file of trusted certificates";
            } else {
                try {
                    loaded = new JarSignatures(JarSignatures.readTrustStore(Path.of(trustStore)));
                } catch (IOException e) {
                    why = e.getMessage();
                }
            }
        }
        this.signatures = loaded;
        this.problem = why;
    }

    @Override
    public HookResult onEvent(HookEvent event) {
        if (!required || !event.type().equals("plugin.install")) {
            return HookResult.CONTINUE;
        }
        Object file = event.payload().get("file");
        if (!(file instanceof String path) || path.isBlank()) {
            return refuse(String.valueOf(file), "plugin.install event carries no 'file': expected the jar's absolute path");
        }
        if (path.endsWith(".json")) {
            // a feature file holds no code: the deploy watcher offers each jar it would install on its own
            return HookResult.CONTINUE;
        }
        if (signatures == null) {
            return refuse(path, "cannot check signatures: " + problem);
        }
        JarSignatures.Result result = signatures.check(Path.of(path));
        return result instanceof JarSignatures.Result.Refused r
                ? refuse(path, r.reason() + " (security.require_signed_plugins is on: expected a jar signed by a certificate of "
                        + trustStore + ")")
                : HookResult.CONTINUE;
    }

    private HookResult refuse(String file, String reason) {
        try {
            audit.append("plugin.refused", "deploy", Map.of("file", file, "reason", reason));
        } catch (AuditException e) {
            return new HookResult.Veto(reason + " (and the refusal could not be audited: " + e.getMessage() + ")");
        }
        return new HookResult.Veto(reason);
    }
}
