package org.crustyclaw.core.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Tells whether a file is an OSGi bundle jar before the framework is asked to install it. */
final class JarCheck {

    private JarCheck() {}

    /** Empty when {@code file} is a readable bundle jar; otherwise what is wrong and what was expected. */
    static Optional<String> problem(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.of("no such file; expected a bundle jar");
        }
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of("not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
            }
            var main = manifest.getMainAttributes();
            if (main.getValue("Bundle-SymbolicName") == null) {
                return Optional.of("not an OSGi bundle: META-INF/MANIFEST.MF has no Bundle-SymbolicName header");
            }
            if (!"2".equals(main.getValue("Bundle-ManifestVersion"))) {
                return Optional.of("not an OSGi R4+ bundle: Bundle-ManifestVersion is "
                        + main.getValue("Bundle-ManifestVersion") + ", expected 2");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("not a jar file (" + e.getMessage() + "); expected a bundle jar");
        }
    }
}
