package org.crustyclaw.launcher;

import java.io.IOException;
import java.util.List;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.config.internal.ConfigFiles;
import org.crustyclaw.config.internal.Schema;
import org.crustyclaw.config.internal.SchemaFile;

/**
 * Checks the configuration before a daemon is started, against the metatype of the jars in
 * {@code bundle/} and {@code deploy/}, so a broken file stops {@code start} with its errors
 * instead of a daemon that runs on defaults. Sections owned by section handlers (their
 * bundles say so in the {@code CrustyClaw-ConfigSections} header) are checked by the daemon.
 */
final class Preflight {

    private Preflight() {}

    static List<ConfigProblem> check(Layout layout) throws IOException {
        if (!java.nio.file.Files.exists(layout.config())) {
            return List.of(new ConfigProblem(layout.config().toString(), 0, 0, "",
                    "no such file; pass --config FILE or create it (the distribution ships etc/crustyclaw.toml)"));
        }
        // kept in the state directory for the daemon's configuration service, which reads the same jars
        Schema schema = SchemaFile.read(List.of(layout.bundles(), layout.deploy()), layout.state().resolve("cache/schema.bin"));
        return ConfigFiles.validate(layout.config(), schema, schema.handlerSections());
    }
}
