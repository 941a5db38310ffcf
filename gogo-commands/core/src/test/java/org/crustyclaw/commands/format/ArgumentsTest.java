package org.crustyclaw.commands.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Set;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    private ThreadIOImpl io;
    private CommandSession session;

    @BeforeEach
    void session() {
        io = new ThreadIOImpl();
        io.start();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        session = new CommandProcessorImpl(io).createSession(new ByteArrayInputStream(new byte[0]), sink, sink);
    }

    @AfterEach
    void close() {
        session.close();
        io.stop();
    }

    @Test
    void aSessionWithoutAPrincipalIsUnauthenticatedAndDenied() {
        assertThatThrownBy(() -> Arguments.principal(session)).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("denied: this session is unauthenticated")
                .satisfies(e -> assertThat(((CommandFailedException) e).exitCode()).isEqualTo(1));
        assertThatThrownBy(() -> Arguments.principal(null)).isInstanceOf(CommandFailedException.class);
    }

    @Test
    void somethingElseUnderTheNameIsNoPrincipal() {
        session.put(Arguments.PRINCIPAL, "admin");
        assertThatThrownBy(() -> Arguments.principal(session)).isInstanceOf(CommandFailedException.class);
    }

    @Test
    void theAdminSocketsPrincipalIsTheOneReturned() {
        Principal.Authenticated alice = new Principal.Authenticated("alice", Set.of("operator"), "cli", "unix-peer-credentials");
        session.put(Arguments.PRINCIPAL, alice);
        assertThat(Arguments.principal(session)).isEqualTo(alice);
    }
}
