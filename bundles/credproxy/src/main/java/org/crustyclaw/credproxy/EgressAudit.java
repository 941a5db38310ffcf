package org.crustyclaw.credproxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;

/**
 * The audit events of the proxy: {@code egress.request} once per request and
 * {@code egress.sentinel_misdirected} (severity high) when a sentinel was aimed at a host
 * its secret is not bound to. Paths are recorded with the query redacted; secrets by name.
 * When the log cannot take an event the session is closed: it fails closed.
 */
final class EgressAudit {

    static final String REQUEST = "egress.request";
    static final String MISDIRECTED = "egress.sentinel_misdirected";
    private static final Logger LOG = Logger.getLogger(EgressAudit.class.getName());

    private EgressAudit() {}

    /** What one exchange did, filled in as it goes. */
    static final class Record {
        final String sandbox;
        final String skill;
        boolean started;
        boolean responded;
        String method = "";
        Target target;
        String decision;
        String rule = "";
        String reason;
        int status;
        long bytesUp;
        long bytesDown;
        String misdirected;
        final Set<String> secrets = new TreeSet<>();
        final Set<String> echoed = new TreeSet<>();

        Record(ProxySession session) {
            this.sandbox = session.id;
            this.skill = session.policy.skill();
        }

        void misdirected(String secret) {
            misdirected = secret;
            decision = "deny";
            rule = "secret-binding";
            reason = "sentinel of secret " + secret + " aimed at " + (target == null ? "?" : target.host())
                    + ", which it is not bound to";
        }

        void fail(String newDecision, String why, int newStatus) {
            if (decision == null || !decision.equals("deny")) {
                decision = newDecision;
            }
            reason = why;
            status = newStatus;
        }
    }

    static void append(AuditLog audit, Record r, ProxySession session) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sandbox", r.sandbox);
        p.put("skill", r.skill);
        p.put("method", r.method);
        p.put("host", r.target == null ? "" : r.target.host());
        p.put("port", r.target == null ? "" : Integer.toString(r.target.port()));
        p.put("path", r.target == null ? "" : r.target.redactedPath());
        p.put("secrets", String.join(",", r.secrets));
        p.put("bytes_up", Long.toString(r.bytesUp));
        p.put("bytes_down", Long.toString(r.bytesDown));
        p.put("decision", r.decision == null ? "malformed" : r.decision);
        p.put("rule", r.rule);
        p.put("status", Integer.toString(r.status));
        if (r.reason != null) {
            p.put("reason", r.reason);
        }
        if (!r.echoed.isEmpty()) {
            p.put("echoed", String.join(",", r.echoed));
        }
        try {
            if (r.misdirected != null) {
                Map<String, String> m = new LinkedHashMap<>(p);
                m.put("severity", "high");
                m.put("secret", r.misdirected);
                audit.append(MISDIRECTED, "sandbox:" + r.sandbox, m);
            }
            audit.append(REQUEST, "sandbox:" + r.sandbox, p);
        } catch (AuditException | RuntimeException e) {
            LOG.log(Level.SEVERE, "egress audit failed; closing session " + r.sandbox, e);
            session.close();
        }
    }
}
