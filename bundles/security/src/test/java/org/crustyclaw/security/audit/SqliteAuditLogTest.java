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
