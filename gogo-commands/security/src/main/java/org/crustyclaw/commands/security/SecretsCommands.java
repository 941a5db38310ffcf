package org.crustyclaw.commands.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code secrets:set|list|rm}. Values are read from the session's input, never taken as arguments, never printed. */
@Component(service = SecretsCommands.class, property = {
        "osgi.command.scope=secrets",
        "osgi.command.function=set",
        "osgi.command.function=list",
        "osgi.command.function=rm"})
public final class SecretsCommands {

    static final int MAX_VALUE_CHARS = 64 * 1024;

    private final SecretStore store;

    @Activate
    public SecretsCommands(@Reference SecretStore store) {
        this.store = store;
    }

    /** What {@code secrets set} and {@code rm} report. */
    public record Outcome(String name, String result) {}

    @Descriptor("stores a secret read from standard input (one line, or everything up to end of input)")
    public String set(CommandSession session,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the secret's name, referenced as secret:NAME") String name) throws IOException {
        return set(session == null ? System.in : session.getKeyboard(), name, json);
    }

    String set(InputStream in, String name, boolean json) throws IOException {
        char[] value = readValue(in);
        try (Secret secret = Secret.ofUtf8(name, value)) {
            if (secret.length() == 0) {
                throw new IllegalArgumentException("no value for secret '" + name + "' on standard input: expected e.g. "
                        + "'printf %s \"$TOKEN\" | crustyclaw secrets set " + name + "'");
            }
            store.set(secret);
        } finally {
            Arrays.fill(value, '\0');
        }
        return Output.render(new Outcome(name, "stored"), json);
    }

    /** Reads up to the first line break or the end, without building a String. */
    static char[] readValue(InputStream in) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buffer = new char[256];
        int length = 0;
        int c;
        while ((c = reader.read()) >= 0 && c != '\n') {
            if (length == MAX_VALUE_CHARS) {
                Arrays.fill(buffer, '\0');
                throw new IllegalArgumentException("secret value is longer than " + MAX_VALUE_CHARS + " characters");
            }
            if (length == buffer.length) {
                char[] bigger = Arrays.copyOf(buffer, buffer.length * 2);
                Arrays.fill(buffer, '\0');
                buffer = bigger;
            }
            buffer[length++] = (char) c;
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        char[] exact = Arrays.copyOf(buffer, length);
        Arrays.fill(buffer, '\0');
        return exact;
    }

    @Descriptor("lists the secret names and where each comes from (store, env, file); never the values")
    public String list(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return Output.render(store.list(), json);
    }

    @Descriptor("removes a secret from the encrypted store")
    public String rm(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the secret's name") String name) {
        if (!store.remove(name)) {
            throw new IllegalArgumentException("no secret '" + name + "' in the encrypted store"
                    + (store.names().contains(name) ? " (it comes from the environment or a file; remove it there)" : ""));
        }
        return Output.render(new Outcome(name, "removed"), json);
    }
}
