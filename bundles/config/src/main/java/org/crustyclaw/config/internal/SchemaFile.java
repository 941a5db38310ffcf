package org.crustyclaw.config.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Schema} of a set of jar directories kept in a file next to the jars' signature, so
 * the check before start, the daemon's configuration service and an offline validation do not
 * each parse the metatype of every jar (a tenth of a second, mostly the XML parser warming up).
 * A file that is missing, unreadable, of another format or for other jars is ignored and
 * written again.
 */
public final class SchemaFile {

    private static final int FORMAT = 1;

    private SchemaFile() {}

    /** The schema of {@code dirs}, from {@code file} when it was written for the same jars. */
    public static Schema read(List<Path> dirs, Path file) throws IOException {
        return read(dirs, Schema.signature(dirs), file);
    }

    /** As {@link #read(List, Path)}, with the signature already computed. */
    public static Schema read(List<Path> dirs, String signature, Path file) throws IOException {
        Optional<Schema> kept = load(file, signature);
        if (kept.isPresent()) {
            return kept.get();
        }
        Schema schema = Schema.fromJars(dirs);
        try {
            store(file, signature, schema);
        } catch (IOException e) {
            // only slower next time
        }
        return schema;
    }

    static Optional<Schema> load(Path file, String signature) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != FORMAT || !text(in).equals(signature)) {
                return Optional.empty();
            }
            Map<String, Schema.Ocd> byPid = new HashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String pid = text(in);
                String name = text(in);
                String description = text(in);
                String origin = text(in);
                Map<String, Schema.Attr> attrs = new LinkedHashMap<>();
                for (int j = in.readInt(); j > 0; j--) {
                    Schema.Attr a = new Schema.Attr(text(in), text(in), in.readInt(), texts(in), texts(in),
                            optional(in), optional(in), text(in));
                    attrs.put(a.id(), a);
                }
                byPid.put(pid, new Schema.Ocd(pid, name, description, attrs, origin));
            }
            Set<String> sections = new HashSet<>(texts(in));
            return Optional.of(new Schema(byPid, sections));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void store(Path file, String signature, Schema schema) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            text(out, signature);
            out.writeInt(schema.byPid().size());
            for (Schema.Ocd ocd : schema.byPid().values()) {
                text(out, ocd.pid());
                text(out, ocd.name());
                text(out, ocd.description());
                text(out, ocd.origin());
                out.writeInt(ocd.attributes().size());
                for (Schema.Attr a : ocd.attributes().values()) {
                    text(out, a.id());
                    text(out, a.type());
                    out.writeInt(a.cardinality());
                    texts(out, a.defaults());
                    texts(out, a.options());
                    texts(out, a.min().stream().toList());
                    texts(out, a.max().stream().toList());
                    text(out, a.description());
                }
            }
            texts(out, List.copyOf(schema.handlerSections()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, bytes.toByteArray());
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void texts(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            text(out, s);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static List<String> texts(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad count " + n);
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(text(in));
        }
        return List.copyOf(list);
    }

    private static Optional<String> optional(DataInputStream in) throws IOException {
        List<String> list = texts(in);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }
}
