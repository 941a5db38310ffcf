package org.crustyclaw.api.secret;

import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Resolves secrets by name ({@code secret:NAME} in the configuration). Every access is
 * audited by name, never by value. Implemented by the security bundle.
 */
@ProviderType
public interface SecretStore {

    /** The secret, freshly copied; close it when done. */
    Optional<Secret> get(String name);

    /** The names known, never the values. */
    Set<String> names();
}
