package org.crustyclaw.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.crustyclaw.buildchecks.TestSourceRules.Violation;
import org.junit.jupiter.api.Test;

/** The checker on small sources: each habit it must catch, and what it must leave alone. */
class TestSourceRulesTest {

    private static List<Violation> check(String body) {
        return TestSourceRules.check(Path.of("X.java"), "class X {\n    void t() throws Exception {\n" + body + "\n    }\n}\n");
    }

    private static List<String> rules(String body) {
        return check(body).stream().map(v -> v.line() + " " + (v.rule() == TestSourceRules.SLEEP_RULE ? "sleep" : "elapsed"))
                .toList();
    }

    @Test
    void sleepsAreCaughtInEveryForm() {
        assertThat(rules("""
                Thread.sleep(300);
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(5);
                SECONDS.sleep(1);
                java.util.concurrent.locks.LockSupport.parkNanos(1000);
                while (!done) { Thread.sleep(5); }""")).containsExactly("3 sleep", "4 sleep", "5 sleep", "6 sleep", "7 sleep");
    }

    @Test
    void aPollingHelperThatSaysWhyMaySleep() {
        assertThat(rules("""
                // test-rules: sleep allowed: the poll interval of the one await helper
                Thread.sleep(20);
                Thread.sleep(20); // test-rules: sleep allowed: polls a file that has no event
                // test-rules: sleep allowed:
                Thread.sleep(20);""")).containsExactly("7 sleep");
    }

    @Test
    void sleepInStringsCommentsAndTextBlocksIsNotACall() {
        assertThat(rules("""
                run("echo one; sleep 1; echo two");
                char q = '"'; String s = "Thread.sleep(5)"; // Thread.sleep(5)
                /* Thread.sleep(5) */
                String script = \"""
                    sleep(3)
                    \""";
                assertThat(lines).contains("sleep 1");""")).isEmpty();
    }

    @Test
    void elapsedTimeInAnAssertionIsCaughtHoweverItIsSpelled() {
        assertThat(rules("""
                long start = System.nanoTime();
                work();
                assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
                long end = System.nanoTime() - start;
                double millis = end / 1e6;
                assertThat(millis).as("fast").isLessThan(1000);
                assertThat(run.result().elapsed()).isLessThan(Duration.ofSeconds(5));
                Instant before = Instant.now();
                assertTrue(Duration.between(before, Instant.now()).toMillis() < 100);
                long t0 = System.currentTimeMillis();
                assertThat(arrival - t0)
                    .isGreaterThan(700);""")).containsExactly("5 elapsed", "6 elapsed", "9 elapsed", "10 elapsed",
                "12 elapsed", "14 elapsed");
    }

    @Test
    void deadlinesTimestampsAndTimeoutsAreNotElapsedAssertions() {
        assertThat(rules("""
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !ready()) { latch.await(deadline - System.nanoTime(), NANOSECONDS); }
                long before = System.currentTimeMillis();
                cache.remember();
                assertThat(cache.rememberedAt()).isBetween(before, System.currentTimeMillis());
                assertThat(request.expires()).isEqualTo(request.created().plus(Duration.ofMinutes(5)));
                assertThat(Duration.between(request.created(), request.expires())).isEqualTo(Duration.ofMinutes(5));
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(x -> x - 1));
                assertThat(result.ending()).isEqualTo(TIMED_OUT);""")).isEmpty();
    }

    @Test
    void aViolationNamesTheFileTheLineAndTheRule() {
        Violation v = check("        Thread.sleep(300);").get(0);
        assertThat(v.toString()).isEqualTo("X.java:3: " + TestSourceRules.SLEEP_RULE + ": Thread.sleep(300);");
    }

    @Test
    void onlyTestSourcesAreChecked() {
        assertThat(TestSourceRules.isTestSource(Path.of("/r/bundles/a/src/test/java/org/A.java"))).isTrue();
        assertThat(TestSourceRules.isTestSource(Path.of("/r/bundles/a/src/main/java/org/A.java"))).isFalse();
        assertThat(TestSourceRules.isTestSource(Path.of("/r/bench/sandbox/src/main/java/B.java"))).isFalse();
        assertThat(TestSourceRules.isTestSource(Path.of("/r/bundles/a/target/src/test/java/A.java"))).isFalse();
    }
}
