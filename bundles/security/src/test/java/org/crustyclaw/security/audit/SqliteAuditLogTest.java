package org.crustyclaw.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.VerifyResult;
import org.crustyclaw.security.db.StateDatabase;
import org.crustyclaw.security.redact.Scrubber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditLogTest {

    @TempDir
    Path dir;
    Path db;
    SqliteAuditLog log;

    @BeforeEach
    void open() throws Exception {
        db = dir.resolve("crustyclaw.db");
        log = new SqliteAuditLog(db, new Scrubber()::scrub, Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        log.close();
    }

    private void appendFive() throws Exception {
        for (int i = 1; i <= 5; i++) {
            log.append("policy.decision", "alice", Map.of("n", String.valueOf(i)));
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = StateDatabase.open(db); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    void eventsChainAndSurviveReopening() throws Exception {
        AuditEvent first = log.append("plugin.install", "deploy", Map.of("file", "/deploy/a.jar"));
        AuditEvent second = log.append("sandbox.exec", "bob", Map.of("cmd", "make"));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo("0".repeat(64));
        assertThat(second.prevHash()).isEqualTo(first.hash());
        log.close();

        log = new SqliteAuditLog(db, s -> s, Duration.ofSeconds(10));
        AuditEvent third = log.append("secret.access", "core", Map.of("name", "GITHUB_TOKEN"));
        assertThat(third.seq()).isEqualTo(3);
        assertThat(third.prevHash()).isEqualTo(second.hash());
        assertThat(log.tail(10)).extracting(AuditEvent::type)
                .containsExactly("plugin.install", "sandbox.exec", "secret.access");
        assertThat(log.tail(10).get(1).payload()).containsEntry("cmd", "make");
        assertThat(log.verify()).isEqualTo(new VerifyResult.Intact(3, third.hash()));
    }

    @Test
    void verifyNamesTheChangedEvent() throws Exception {
        appendFive();
        sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3");
        VerifyResult result = log.verify();
        assertThat(result).isInstanceOf(VerifyResult.Broken.class);
        VerifyResult.Broken broken = (VerifyResult.Broken) result;
        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.CHANGED);
        assertThat(broken.detail()).contains("event 3 was changed");
    }

    @Test
    void verifyNamesTheDeletedEvent() throws Exception {
        appendFive();
        sql("DELETE FROM audit_events WHERE seq = 2");
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.DELETED);
        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.detail()).contains("before 3 was deleted");
    }

    @Test
    void verifyCatchesDeletionHiddenByRenumbering() throws Exception {
        appendFive();
        sql("DELETE FROM audit_events WHERE seq = 2");
        sql("UPDATE audit_events SET seq = seq - 1 WHERE seq > 2");
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.DELETED);
        assertThat(broken.seq()).isEqualTo(2);
    }

    /** What an attacker with write access to the database but not to the key can do, and what is seen. */
    private static String sha256Chain(String prev, String at, String type, String actor, String payload) throws Exception {
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        for (String part : new String[] {prev, at, type, actor, payload}) {
            byte[] bytes = part.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            sha.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
                    (byte) bytes.length});
            sha.update(bytes);
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void cuttingTheTailIsDetectedByTheCheckpoint() throws Exception {
        appendFive();
        sql("DELETE FROM audit_events WHERE seq > 3");
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.TRUNCATED);
        assertThat(broken.seq()).isEqualTo(4);
        assertThat(broken.detail()).contains("ends at event 3", "records event 5");
    }

    @Test
    void emptyingTheLogIsDetected() throws Exception {
        appendFive();
        sql("DELETE FROM audit_events");
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.TRUNCATED);
        assertThat(broken.detail()).contains("the log is empty", "records 5 events");
    }

    @Test
    void aForgedAppendWithoutTheKeyIsDetected() throws Exception {
        appendFive();
        AuditEvent head = log.tail(1).get(0);
        String at = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        String payload = "{\"action\":\"sandbox.exec\",\"effect\":\"allow\"}";
        sql("INSERT INTO audit_events(seq, at, type, actor, payload, prev_hash, hash) VALUES (6, '" + at
                + "', 'policy.decision', 'mallory', '" + payload + "', '" + head.hash() + "', '"
                + sha256Chain(head.hash(), at, "policy.decision", "mallory", payload) + "')");
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.CHANGED);
        assertThat(broken.seq()).isEqualTo(6);
        assertThat(broken.detail()).contains("forged");
    }

    @Test
    void aRewriteWithRecomputedHashesIsDetected() throws Exception {
        appendFive();
        // rewrite every event from the third on, recomputing the unkeyed chain as the old log would accept
        List<AuditEvent> all = log.tail(5);
        String prev = all.get(1).hash();
        for (AuditEvent e : all.subList(2, 5)) {
            String payload = "{\"n\":\"0\"}";
            String hash = sha256Chain(prev, e.at().toString(), e.type(), e.actor(), payload);
            sql("UPDATE audit_events SET payload = '" + payload + "', prev_hash = '" + prev + "', hash = '" + hash
                    + "' WHERE seq = " + e.seq());
            prev = hash;
        }
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.CHANGED);
        assertThat(broken.seq()).isEqualTo(3);
    }

    @Test
    void aForgedCheckpointIsRefused() throws Exception {
        appendFive();
        java.nio.file.Files.writeString(dir.resolve("audit.head"), "crustyclaw-audit-head v1 seq=2 hash=" + "a".repeat(64)
                + " mac=" + "b".repeat(64) + "\n");
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.detail()).contains("audit.head", "does not carry the audit key's MAC");
    }

    /** A daemon that finds its chain broken starts, says so, records the break in a new segment; verify keeps failing. */
    @Test
    void openingABrokenChainStartsANewSegmentThatRecordsTheBreak() throws Exception {
        appendFive();
        log.close();
        sql("DELETE FROM audit_events WHERE seq > 2");
        log = new SqliteAuditLog(db, s -> s, Duration.ofSeconds(10));
        assertThat(log.chainProblem()).hasValueSatisfying(p -> assertThat(p)
                .contains("audit chain broken at event 3 (truncated)", "a new segment starts at event 6"));
        AuditEvent segment = log.tail(1).get(0);
        assertThat(segment.seq()).isEqualTo(6);
        assertThat(segment.type()).isEqualTo(SqliteAuditLog.SEGMENT);
        assertThat(segment.prevHash()).isEqualTo("0".repeat(64));
        assertThat(segment.payload()).containsEntry("broken_at", "3").containsEntry("problem", "truncated");
        AuditEvent next = log.append("policy.decision", "alice", Map.of("n", "6"));
        assertThat(next.seq()).isEqualTo(7);
        assertThat(next.prevHash()).isEqualTo(segment.hash());

        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.TRUNCATED);
        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.detail()).contains("recorded by a new segment", "up to event 7");

        log.close();
        log = new SqliteAuditLog(db, s -> s, Duration.ofSeconds(10));
        assertThat(log.chainProblem()).as("a restart still says so, without another segment")
                .hasValueSatisfying(p -> assertThat(p).contains("was broken at event 3"));
        assertThat(log.tail(1).get(0).seq()).isEqualTo(7);

        // tampering inside the new segment is a fresh break
        sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 7");
        VerifyResult.Broken again = (VerifyResult.Broken) log.verify();
        assertThat(again.seq()).isEqualTo(7);
        assertThat(again.problem()).isEqualTo(VerifyResult.Problem.CHANGED);
    }

    @Test
    void theKeyAndCheckpointLiveOutsideTheDatabaseOwnerOnly() throws Exception {
        appendFive();
        for (String name : List.of("audit.key", "audit.head")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir.resolve(name)))).isEqualTo("rw-------");
        }
        assertThat(java.nio.file.Files.size(dir.resolve("audit.key"))).isEqualTo(32);
        assertThat(java.nio.file.Files.readString(dir.resolve("audit.head"))).startsWith("crustyclaw-audit-head v1 seq=5 ");
    }

    @Test
    void verifyNamesReorderedEvents() throws Exception {
        appendFive();
        sql("UPDATE audit_events SET seq = 100 WHERE seq = 2");
        sql("UPDATE audit_events SET seq = 2 WHERE seq = 3");
        sql("UPDATE audit_events SET seq = 3 WHERE seq = 100");
        VerifyResult.Broken broken = (VerifyResult.Broken) log.verify();
        assertThat(broken.problem()).isEqualTo(VerifyResult.Problem.REORDERED);
        assertThat(broken.seq()).isEqualTo(2);
    }

    @Test
    void secretsAndTokensNeverReachTheDatabase() throws Exception {
        log.append("tool.call", "agent", Map.of("header", "Authorization: Bearer abcdefghijklmnop1234",
                "key", "sk-ant-REALLYSECRETKEY1234567890"));
        String stored = log.tail(1).get(0).payload().toString();
        assertThat(stored).doesNotContain("abcdefghijklmnop1234").doesNotContain("REALLYSECRETKEY").contains("<redacted>");
    }

    @Test
    void concurrentWritersKeepOneUnbrokenChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    log.append("sandbox.exec", "w" + writer, Map.of("i", String.valueOf(i)));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(log.verify()).isInstanceOf(VerifyResult.Intact.class);
        assertThat(((VerifyResult.Intact) log.verify()).events()).isEqualTo(400);
    }

    @Test
    void sinceAndAfterSelectTheRightEvents() throws Exception {
        appendFive();
        Instant fifth = log.tail(1).get(0).at();
        // events are stamped to the microsecond: wait for the clock to pass the fifth's stamp, so the mark falls between
        while (!Instant.now().truncatedTo(ChronoUnit.MICROS).isAfter(fifth)) {
            Thread.onSpinWait();
        }
        Instant mark = Instant.now();
        log.append("config.reload", "config", Map.of());
        assertThat(log.since(mark)).extracting(AuditEvent::type).containsExactly("config.reload");
        assertThat(log.after(3, 10)).extracting(AuditEvent::seq).containsExactly(4L, 5L, 6L);
    }

    @Test
    void badTypeIsRefusedNamingIt() {
        assertThatThrownBy(() -> log.append("Policy Decision", "a", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Policy Decision'");
    }
}
