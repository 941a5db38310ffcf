package org.crustyclaw.security.secret;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.security.db.StateDatabase;
import org.crustyclaw.security.redact.RedactionService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@link SecretStore} service; configuration PID {@code org.crustyclaw.secrets} ({@code [secrets]}). */
@Component(service = SecretStore.class, configurationPid = SecretStoreService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecretStoreService.Config.class)
public final class SecretStoreService implements SecretStore {

    public static final String PID = "org.crustyclaw.secrets";

    @ObjectClassDefinition(name = "CrustyClaw secrets", description = "Where secrets referenced as secret:NAME come from")
    public @interface Config {
        @AttributeDefinition(description = "Encrypted store file (AES-256-GCM); empty for <state>/secrets.store")
        String storeFile() default "";

        @AttributeDefinition(description = "Key file of the store, 32 bytes, mode 0600; created when missing; empty for <state>/secrets.key")
        String keyFile() default "";

        @AttributeDefinition(description = "Directory of one-secret-per-file (mode 0600); empty for <state>/secrets")
        String directory() default "";

        @AttributeDefinition(description = "Prefix of environment variables holding secrets")
        String envPrefix() default "CRUSTYCLAW_SECRET_";
    }

    private final Secrets secrets;

    @Activate
    public SecretStoreService(BundleContext context, Config config, @Reference AuditLog audit,
            @Reference RedactionService redaction) {
        Path state = StateDatabase.defaultFile(context).getParent();
        Path store = config.storeFile().isBlank() ? state.resolve("secrets.store") : Path.of(config.storeFile());
        Path key = config.keyFile().isBlank() ? state.resolve("secrets.key") : Path.of(config.keyFile());
        Path dir = config.directory().isBlank() ? state.resolve("secrets") : Path.of(config.directory());
        this.secrets = new Secrets(new EncryptedStoreFile(store, key), dir, System.getenv(), config.envPrefix(), audit,
                redaction);
    }

    @Override
    public Optional<Secret> get(String name) {
        return secrets.get(name);
    }

    @Override
    public Set<String> names() {
        return secrets.names();
    }

    @Override
    public List<SecretEntry> list() {
        return secrets.list();
    }

    @Override
    public void set(Secret secret) {
        secrets.set(secret);
    }

    @Override
    public boolean remove(String name) {
        return secrets.remove(name);
    }
}
