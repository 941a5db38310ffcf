package org.crustyclaw.security.audit;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.audit.VerifyResult;
import org.crustyclaw.api.runtime.Health;
import org.crustyclaw.api.runtime.HealthCheck;
import org.crustyclaw.api.secret.Redaction;
import org.crustyclaw.security.db.StateDatabase;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@link AuditLog} service over the state database; configuration PID {@code org.crustyclaw.audit}. */
@Component(service = {AuditLog.class, HealthCheck.class}, configurationPid = AuditService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AuditService.Config.class)
public final class AuditService implements AuditLog, HealthCheck {

    public static final String PID = "org.crustyclaw.audit";

    @ObjectClassDefinition(name = "CrustyClaw audit log", description = "The tamper-evident audit log ([audit] in crustyclaw.toml)")
    public @interface Config {
        @AttributeDefinition(description = "SQLite database file; empty for <crustyclaw.state.dir>/crustyclaw.db")
        String database() default "";

        @AttributeDefinition(description = "Seconds an action waits for its event to be durable before it is refused", min = "1")
        int appendTimeoutSeconds() default 30;
    }

    private final SqliteAuditLog log;

    @Activate
    public AuditService(BundleContext context, Config config, @Reference Redaction redaction) throws SQLException {
        Path file = config.database().isBlank() ? StateDatabase.defaultFile(context) : Path.of(config.database());
        this.log = new SqliteAuditLog(file, redaction::scrub, Duration.ofSeconds(config.appendTimeoutSeconds()));
    }

    @Deactivate
    void deactivate() {
        log.close();
    }

    @Override
    public AuditEvent append(String type, String actor, Map<String, String> payload) throws AuditException {
        return log.append(type, actor, payload);
    }

    @Override
    public List<AuditEvent> tail(int n) {
        return log.tail(n);
    }

    @Override
    public List<AuditEvent> after(long afterSeq, int limit) {
        return log.after(afterSeq, limit);
    }

    @Override
    public List<AuditEvent> since(Instant since) {
        return log.since(since);
    }

    @Override
    public VerifyResult verify() {
        return log.verify();
    }

    /** The chain as this daemon found it at start: a break is loud until the log is archived and begun anew. */
    @Override
    public List<Health> check() {
        return List.of(log.chainProblem().map(p -> Health.failing("audit chain", p + "; 'crustyclaw audit verify' shows it,"
                + " 'audit export' keeps the events; a fresh database begins a whole chain")).orElse(Health.ok("audit chain")));
    }
}
