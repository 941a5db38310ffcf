package org.crustyclaw.security.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.runtime.Health;
import org.crustyclaw.api.runtime.HealthCheck;
import org.crustyclaw.api.secret.SecretStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The health of the state database and the services on it, for {@code status}: the tables
 * this bundle's migrations made are there (read from {@code sqlite_master} over a read-only
 * connection), and the audit log, approvals and secret store each answer a read.
 */
@Component
public final class StateHealth implements HealthCheck {

    private static final System.Logger LOG = System.getLogger(StateHealth.class.getName());
    static final Set<String> TABLES = Set.of("audit_events", "approvals", "schema_migrations");

    private final Path file;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Approvals approvals;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecretStore secrets;

    @Activate
    public StateHealth(BundleContext context) {
        this(StateDatabase.defaultFile(context));
    }

    StateHealth(Path file) {
        this.file = file;
    }

    @Override
    public List<Health> check() {
        List<Health> results = new ArrayList<>();
        results.add(database());
        results.add(probe("audit log", () -> audit, a -> a.tail(1)));
        results.add(probe("approvals", () -> approvals, Approvals::pending));
        results.add(probe("secret store", () -> secrets, SecretStore::list));
        return results;
    }

    Health database() {
        String service = "state database";
        if (!Files.isRegularFile(file)) {
            return Health.failing(service, file + " does not exist");
        }
        SqliteNative.prepare(file.toAbsolutePath().getParent());
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro",
                new java.util.Properties()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            Set<String> missing = new TreeSet<>(TABLES);
            while (rs.next()) {
                missing.remove(rs.getString(1));
            }
            return missing.isEmpty() ? Health.ok(service) : Health.failing(service, file + " lacks its table"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + ": restore the file from a backup, or"
                    + " stop the daemon and move it aside to start with an empty one");
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "state database check failed", e);
            return Health.failing(service, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static <S> Health probe(String service, Supplier<S> current, java.util.function.Consumer<S> read) {
        S s = current.get();
        if (s == null) {
            return Health.failing(service, "not running (its component is not active; see the daemon log)");
        }
        try {
            read.accept(s);
            return Health.ok(service);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, service + " health check failed", e);
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return Health.failing(service, String.valueOf(root.getMessage()));
        }
    }
}
