package org.crustyclaw.api.secret;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Resolves secrets by name ({@code secret:NAME} in the configuration) from the encrypted
 * store file, environment variables and owner-only files, in that order. Every access is
 * audited by name, never by value. Implemented by the security bundle.
 */
@ProviderType
public interface SecretStore {

    /** The secret, freshly copied; close it when done. */
    Optional<Secret> get(String name);

    /** The names known, never the values. */
    Set<String> names();

    /** Every known name with where it comes from, sorted by name. */
    List<SecretEntry> list();

    /**
     * Stores (or replaces) a secret in the encrypted store file.
     *
     * @throws IllegalArgumentException when the name is not {@code [A-Za-z0-9_.-]{1,128}}
     */
    void set(Secret secret);

    /** Removes a secret from the encrypted store file; false when it was not there. */
    boolean remove(String name);

    /**
     * A known secret name and its source.
     *
     * @param name   the name
     * @param source {@code store}, {@code env} or {@code file}
     */
    record SecretEntry(String name, String source) {}
}
