package org.crustyclaw.security.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.security.redact.RedactionService;

/**
 * Secrets by name from, in this order: the encrypted store file, the environment
 * ({@code <prefix><NAME>} with {@code .} and {@code -} as {@code _}), and owner-only files
 * in a directory. Every read, write and removal is audited by name before it happens, and
 * every value read is handed to the scrubber so it never shows in logs.
 */
public final class Secrets implements SecretStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final EncryptedStoreFile store;
    private final Path directory;
    private final Map<String, String> env;
    private final String envPrefix;
    private final AuditLog audit;
    private final RedactionService redaction;

    public Secrets(EncryptedStoreFile store, Path directory, Map<String, String> env, String envPrefix, AuditLog audit,
            RedactionService redaction) {
        this.store = store;
        this.directory = directory;
        this.env = Map.copyOf(env);
        this.envPrefix = envPrefix;
        this.audit = audit;
        this.redaction = redaction;
    }

    static String requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("secret name '" + name
                    + "' is invalid: expected 1-128 letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    private String envKey(String name) {
        return envPrefix + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public Optional<Secret> get(String name) {
        requireName(name);
        Optional<Secret> found;
        String source;
        try {
            Map<String, byte[]> entries = store.read();
            try {
                if (entries.containsKey(name)) {
                    found = Optional.of(new Secret(name, entries.get(name)));
                    source = "store";
                } else if (env.containsKey(envKey(name))) {
                    found = Optional.of(Secret.ofUtf8(name, env.get(envKey(name)).toCharArray()));
                    source = "env";
                } else if (Files.isRegularFile(directory.resolve(name))) {
                    found = Optional.of(fromFile(name));
                    source = "file";
                } else {
                    found = Optional.empty();
                    source = "none";
                }
            } finally {
                entries.values().forEach(v -> Arrays.fill(v, (byte) 0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret '" + name + "': " + e.getMessage(), e);
        }
        record("secret.access", Map.of("name", name, "source", source, "found", String.valueOf(found.isPresent())));
        found.ifPresent(redaction::remember);
        return found;
    }

    private Secret fromFile(String name) throws IOException {
        byte[] bytes = OwnerOnlyFiles.read(directory.resolve(name));
        try {
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
            }
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            byte[] exact = Arrays.copyOf(bytes, end);
            try {
                return new Secret(name, exact);
            } finally {
                Arrays.fill(exact, (byte) 0);
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        list().forEach(e -> out.add(e.name()));
        return out;
    }

    @Override
    public List<SecretEntry> list() {
        Map<String, String> out = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (var files = Files.list(directory)) {
                files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                        .filter(n -> NAME.matcher(n).matches()).forEach(n -> out.put(n, "file"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list secret directory " + directory + ": " + e.getMessage(), e);
            }
        }
        env.keySet().stream().filter(k -> k.startsWith(envPrefix) && k.length() > envPrefix.length())
                .forEach(k -> out.put(k.substring(envPrefix.length()), "env"));
        try {
            Map<String, byte[]> entries = store.read();
            entries.values().forEach(v -> Arrays.fill(v, (byte) 0));
            entries.keySet().forEach(n -> out.put(n, "store"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret store: " + e.getMessage(), e);
        }
        List<SecretEntry> list = new ArrayList<>();
        out.forEach((n, s) -> list.add(new SecretEntry(n, s)));
        return list;
    }

    @Override
    public synchronized void set(Secret secret) {
        requireName(secret.name());
        record("secret.set", Map.of("name", secret.name()));
        try {
            Map<String, byte[]> entries = store.read();
            try {
                entries.put(secret.name(), secret.reveal());
                store.write(entries);
            } finally {
                entries.values().forEach(v -> Arrays.fill(v, (byte) 0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store secret '" + secret.name() + "': " + e.getMessage(), e);
        }
        redaction.remember(secret);
    }

    @Override
    public synchronized boolean remove(String name) {
        requireName(name);
        try {
            Map<String, byte[]> entries = store.read();
            try {
                if (!entries.containsKey(name)) {
                    return false;
                }
                record("secret.remove", Map.of("name", name));
                Arrays.fill(entries.remove(name), (byte) 0);
                store.write(entries);
            } finally {
                entries.values().forEach(v -> Arrays.fill(v, (byte) 0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove secret '" + name + "': " + e.getMessage(), e);
        }
        redaction.forget(name);
        return true;
    }

    private void record(String type, Map<String, String> payload) {
        try {
            audit.append(type, "secret-store", payload);
        } catch (AuditException e) {
            throw new SecurityException("refusing " + type + " of '" + payload.get("name")
                    + "': it could not be audited (" + e.getMessage() + ")", e);
        }
    }
}
