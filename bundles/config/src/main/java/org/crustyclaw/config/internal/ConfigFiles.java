package org.crustyclaw.config.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlTable;

/** Reads and parses a configuration file, turning every failure into a {@link ConfigProblem}. */
public final class ConfigFiles {

    /** A parsed file, or the reason it could not be parsed. */
    public sealed interface Loaded {
        record Parsed(String text, TomlTable root) implements Loaded {}

        record Failed(ConfigProblem problem) implements Loaded {}
    }

    private ConfigFiles() {}

    public static Loaded load(Path file) {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                return failed(name, "is a directory; expected a TOML file");
            }
            long size = Files.size(file);
            if (size > Toml.MAX_INPUT_BYTES) {
                return failed(name, "file is " + size + " bytes; expected at most " + Toml.MAX_INPUT_BYTES);
            }
            byte[] bytes = Files.readAllBytes(file);
            TomlTable root = Toml.parse(bytes, name);
            return new Loaded.Parsed(new String(bytes, StandardCharsets.UTF_8), root);
        } catch (NoSuchFileException e) {
            return failed(name, "no such file");
        } catch (IOException e) {
            return failed(name, "cannot read: " + e.getMessage());
        } catch (TomlException e) {
            var at = e.position();
            return new Loaded.Failed(new ConfigProblem(name, at.line(), at.column(), "", e.reason()));
        }
    }

    /** Parses and checks in one step; the problems are empty when the file is valid. */
    public static List<ConfigProblem> validate(Path file, Schema schema, java.util.Set<String> handlerSections) {
        Loaded loaded = load(file);
        if (loaded instanceof Loaded.Failed f) {
            return List.of(f.problem());
        }
        return ConfigChecker.check(((Loaded.Parsed) loaded).root(), schema, handlerSections).problems();
    }

    private static Loaded failed(String file, String message) {
        return new Loaded.Failed(new ConfigProblem(file, 0, 0, "", message));
    }
}
