package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.crustyclaw.api.sandbox.SandboxException;

/**
 * One directory per VM (its sockets, logs, disk images) under a temporary root of the
 * backend's, made on first use and removed, with whatever is left in it, when the backend
 * is deactivated.
 */
final class RunDirs {

    private final String backend;
    private Path root; // guarded by this

    RunDirs(String backend) {
        this.backend = backend;
    }

    synchronized Path next() throws SandboxException {
        try {
            if (root == null || !Files.isDirectory(root)) {
                root = Files.createTempDirectory("cc-" + backend + "-");
            }
            return Files.createTempDirectory(root, "vm-");
        } catch (IOException e) {
            throw new SandboxException("cannot create a run directory for a " + backend + " VM: " + e.getMessage(), e);
        }
    }

    synchronized void deleteAll() {
        if (root != null) {
            Host.deleteTree(root);
            root = null;
        }
    }
}
