package org.crustyclaw.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The daemon logs through {@code java.util.logging} (bundles use {@link System.Logger}) to one file. */
final class Logs {

    private Logs() {}

    static void configure(Path dir, String file, boolean console, Level level) throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        Files.createDirectories(dir);
        StateDir.ownerOnlyFile(dir.resolve(file));
        Handler fileHandler = new FileHandler(dir.resolve(file).toString(), true);
        fileHandler.setFormatter(new SimpleFormatter());
        fileHandler.setEncoding("UTF-8");
        root.addHandler(fileHandler);
        if (console) {
            Handler stderr = new ConsoleHandler();
            stderr.setFormatter(new SimpleFormatter());
            stderr.setLevel(level);
            root.addHandler(stderr);
        }
    }
}
