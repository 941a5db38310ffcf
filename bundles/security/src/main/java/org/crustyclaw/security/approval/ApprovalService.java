package org.crustyclaw.security.approval;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Principal.Authenticated;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.review.Decision;
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

/** The {@link Approvals} service over the state database; configuration PID {@code org.crustyclaw.approvals}. */
@Component(service = Approvals.class, configurationPid = ApprovalService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ApprovalService.Config.class)
public final class ApprovalService implements Approvals {

    public static final String PID = "org.crustyclaw.approvals";
    /** Framework property: true in the short-lived framework of an offline CLI verb. */
    static final String ONESHOT = "crustyclaw.oneshot";

    @ObjectClassDefinition(name = "CrustyClaw approvals", description = "Human approval of actions ([approvals] in crustyclaw.toml)")
    public @interface Config {
        @AttributeDefinition(description = "Minutes a request waits for an answer before it is rejected automatically", min = "1")
        int defaultTimeoutMinutes() default 30;
    }

    private final SqliteApprovals approvals;

    @Activate
    public ApprovalService(BundleContext context, Config config, @Reference AuditLog audit, @Reference PolicyEngine policy)
            throws SQLException {
        // An offline framework (a CLI verb while a daemon may run) must not withdraw the daemon's live requests.
        this.approvals = new SqliteApprovals(StateDatabase.defaultFile(context), audit, policy, Clock.systemUTC(),
                Duration.ofMinutes(config.defaultTimeoutMinutes()), !Boolean.parseBoolean(context.getProperty(ONESHOT)));
    }

    @Override
    public CompletionStage<Decision> request(ApprovalRequest request) {
        return approvals.request(request);
    }

    @Deactivate
    void deactivate() {
        approvals.close();
    }

    @Override
    public CompletionStage<Decision> request(ApprovalRequest request, Duration timeout) {
        return approvals.request(request, timeout);
    }

    @Override
    public List<ApprovalRequest> pending() {
        return approvals.pending();
    }

    @Override
    public void withdraw(String id, String reason) {
        approvals.withdraw(id, reason);
    }

    @Override
    public Optional<ApprovalRequest> find(String id) {
        return approvals.find(id);
    }

    @Override
    public Optional<Decision> decision(String id) {
        return approvals.decision(id);
    }

    @Override
    public Decision answer(String id, boolean approve, Authenticated by, String reason) {
        return approvals.answer(id, approve, by, reason);
    }
}
