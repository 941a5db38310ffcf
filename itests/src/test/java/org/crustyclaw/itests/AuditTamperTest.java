package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The audit chain against someone who can write the state database but not read the daemon's
 * key ({@code audit.key}): cutting it short, emptying it, forging an append or rewriting it with
 * recomputed plain hashes is detected by {@code audit verify} (exit 1) and, at the next start, by
 * the daemon, which starts anyway, records the break in a new segment and says so in
 * {@code status} (issue 8).
 */
class AuditTamperTest {

    private static void sql(Installation dist, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dist.state.resolve("crustyclaw.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    /** A few events of every day: a reload and a policy-checked, audited sandbox run. */
    private static void someEvents(Installation dist, long pid) {
        dist.signal("HUP", pid);
        Installation.await(java.time.Duration.ofSeconds(30), () -> dist.run("audit", "tail", "-n", "50").out(),
                out -> out.split("config.reload", -1).length > 2);
        Result verify = dist.run("audit", "verify");
        assertThat(verify.exit()).as("%s", verify).isZero();
        assertThat(verify.out()).contains("intact");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "emptied;DELETE FROM audit_events;truncated;the log is empty",
            "tail cut;DELETE FROM audit_events WHERE seq > 1;truncated;ends at event 1",
            "forged append;INSERT INTO audit_events(seq, at, type, actor, payload, prev_hash, hash) SELECT MAX(seq) + 1, "
                    + "'2026-01-01T00:00:00Z', 'policy.decision', 'mallory', '{}', (SELECT hash FROM audit_events ORDER BY seq DESC"
                    + " LIMIT 1), 'ab' || substr(hash, 3) FROM audit_events;changed;forged",
            "rewritten;UPDATE audit_events SET actor = 'mallory', hash = 'cd' || substr(hash, 3);changed;forged"})
    void tamperingIsDetectedByVerifyAndByTheNextStart(String name, String statement, String problem, String detail)
            throws Exception {
        try (Installation dist = Installation.create("tamper")) {
            long pid = dist.start();
            someEvents(dist, pid);
            sql(dist, statement);

            Result verify = dist.run("audit", "verify");
            assertThat(verify.exit()).as("%s", verify).isEqualTo(1);
            assertThat(verify.err()).contains("audit chain broken", "(" + problem + ")", detail);

            assertThat(dist.run("stop").exit()).isZero();
            Result start = dist.run("start");
            assertThat(start.out()).as("it starts anyway: %s", start).contains("crustyclaw started");
            assertThat(start.err()).as("and says why it is not well: %s", start).contains("audit chain broken");
            assertThat(dist.pid()).hasValueSatisfying(p -> assertThat(Installation.alive(p)).isTrue());
            Result status = dist.run("status");
            assertThat(status.exit()).as("the daemon runs, and says its chain is broken: %s", status).isEqualTo(1);
            assertThat(status.all()).contains("audit chain", "broken at event", "(" + problem + ")", "a new segment starts");
            Result tail = dist.run("audit", "tail", "-n", "5");
            assertThat(tail.out()).as("%s", tail).contains("audit.segment", "problem=" + problem);
            Result again = dist.run("audit", "verify");
            assertThat(again.exit()).as("verify keeps failing: %s", again).isEqualTo(1);
            assertThat(again.err()).contains("recorded by a new segment");
            assertThat(dist.logText()).contains("audit chain broken");
        }
    }

    @Test
    void anUntouchedChainVerifiesAcrossRestartsAndStatusIsHealthy() throws Exception {
        try (Installation dist = Installation.create("tamper-none")) {
            long pid = dist.start();
            someEvents(dist, pid);
            assertThat(dist.run("stop").exit()).isZero();
            dist.start();
            Result status = dist.run("status");
            assertThat(status.exit()).as("%s", status).isZero();
            Result verify = dist.run("audit", "verify");
            assertThat(verify.exit()).as("%s", verify).isZero();
            assertThat(dist.state.resolve("audit.key")).exists();
            assertThat(dist.state.resolve("audit.head")).exists();
        }
    }
}
