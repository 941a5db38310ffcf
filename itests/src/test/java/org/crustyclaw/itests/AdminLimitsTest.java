package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.Test;

/** Idle or hoarded admin connections: the CLI says busy (exit 1), never "not running", and idle ones are closed. */
class AdminLimitsTest {

    @Test
    void idleConnectionsAreRefusedAsBusyThenClosed() throws Exception {
        try (Installation dist = Installation.create("admin-limits")) {
            dist.config(dist.write("admin.toml", "[admin]\nidle_timeout_seconds = 3\nmax_connections_per_user = 8\n"));
            dist.start();
            List<SocketChannel> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.connect(UnixDomainSocketAddress.of(dist.socket()));
                    idle.add(c);
                }
                Result busy = dist.run("status");
                assertThat(busy.exit()).as("%s", busy).isEqualTo(1);
                assertThat(busy.err()).as("%s", busy).contains("crustyclaw is busy", "max_connections_per_user")
                        .doesNotContain("not running");
                Result verb = dist.run("audit", "tail");
                assertThat(verb.exit()).as("%s", verb).isEqualTo(1);
                assertThat(verb.err()).as("%s", verb).contains("busy").doesNotContain("not running");

                // Every idle connection ends: the 32 over the cap at once, the 8 admitted after the idle timeout.
                List<CompletableFuture<Void>> ends = idle.stream().map(c -> CompletableFuture.runAsync(() -> readToEnd(c))).toList();
                CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } finally {
                for (SocketChannel c : idle) {
                    c.close();
                }
            }
            Result ok = dist.run("status");
            assertThat(ok.exit()).as("%s", ok).isZero();
            assertThat(dist.logText()).contains("idle for more than 3s");
        }
    }

    private static void readToEnd(SocketChannel c) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        try {
            while (c.read(b) >= 0) {
                b.clear();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
