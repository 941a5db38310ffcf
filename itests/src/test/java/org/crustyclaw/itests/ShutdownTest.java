package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each test starts its own daemon and ends it: by {@code stop} or by SIGTERM. */
class ShutdownTest {

    Installation dist;

    @BeforeEach
    void create() throws IOException {
        dist = Installation.create("shutdown");
    }

    @AfterEach
    void close() {
        dist.close();
    }

    @Test
    void stopDrainsAndRemovesSocketAndPidFile() {
        long pid = dist.start();
        Result stop = dist.run("stop");
        assertThat(stop.exit()).as("%s", stop).isZero();
        assertThat(stop.out()).contains("stopped");
        assertThat(Installation.alive(pid)).as("the daemon process has exited once stop returns").isFalse();
        assertThat(dist.socket()).doesNotExist();
        assertThat(dist.pidFile()).doesNotExist();
        Result status = dist.run("status");
        assertThat(status.exit()).as("%s", status).isEqualTo(3);
        assertThat(status.all()).contains("not running");
    }

    @Test
    void sigtermShutsDownCleanly() {
        long pid = dist.start();
        dist.signal("TERM", pid);
        boolean exited = Installation.await(Duration.ofSeconds(30), () -> Installation.alive(pid), a -> !a) == false;
        assertThat(exited).as("pid %d exits after SIGTERM", pid).isTrue();
        assertThat(dist.pidFile()).doesNotExist();
        assertThat(dist.socket()).doesNotExist();
        assertThat(dist.run("status").exit()).isEqualTo(3);
    }

    @Test
    void startsAgainAfterAStop() {
        long first = dist.start();
        assertThat(dist.run("stop").exit()).isZero();
        long second = dist.start();
        assertThat(second).isNotEqualTo(first);
        assertThat(dist.run("status", "--json").json().path("pid").asLong()).isEqualTo(second);
    }
}
