package org.crustyclaw.channel.signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Attachments kept under {@code <state>/channel-signal/attachments}, each under a generated name
 * (never the sender's: a name like {@code ../../etc/passwd} or {@code crustyclaw.db} means
 * nothing here), owner-only, after a check of its declared type against the allowed ones and of
 * its size against the limit.
 */
final class AttachmentStore {

    private static final Pattern MIME = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}");
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(Map.entry("image/png", "png"),
            Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"), Map.entry("image/webp", "webp"),
            Map.entry("audio/aac", "aac"), Map.entry("audio/mpeg", "mp3"), Map.entry("audio/ogg", "ogg"),
            Map.entry("video/mp4", "mp4"), Map.entry("application/pdf", "pdf"), Map.entry("text/plain", "txt"));

    private final Path dir;
    private final List<String> allowed;
    private final long maxBytes;

    AttachmentStore(Path dir, List<String> allowed, long maxBytes) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("max_attachment_bytes must be at least 1: " + maxBytes);
        }
        for (String a : allowed) {
            if (!a.equals("*/*") && !a.endsWith("/*") && !MIME.matcher(a).matches()) {
                throw new IllegalArgumentException("attachment type '" + a + "' is not type/subtype, type/* or */*");
            }
        }
        this.dir = dir;
        this.allowed = List.copyOf(allowed);
        this.maxBytes = maxBytes;
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Why an attachment is refused before it is fetched, or empty when it may be. */
    java.util.Optional<String> refuse(String contentType, long declaredSize) {
        String type = contentType.toLowerCase(Locale.ROOT).strip();
        if (!MIME.matcher(type).matches()) {
            return java.util.Optional.of("its type '" + SignalClient.abbreviate(contentType) + "' is not a MIME type");
        }
        if (!allows(type)) {
            return java.util.Optional.of("type " + type + " is not among the allowed " + allowed);
        }
        if (declaredSize > maxBytes) {
            return java.util.Optional.of("it is " + declaredSize + " bytes, more than the " + maxBytes + " allowed");
        }
        return java.util.Optional.empty();
    }

    boolean allows(String type) {
        for (String a : allowed) {
            if (a.equals("*/*") || a.equals(type) || (a.endsWith("/*") && type.startsWith(a.substring(0, a.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Writes the bytes under a new name; answers where. */
    Path store(String contentType, byte[] data) throws IOException {
        if (data.length > maxBytes) {
            throw new IOException("attachment of " + data.length + " bytes is over the " + maxBytes + " allowed");
        }
        String ext = EXTENSIONS.getOrDefault(contentType.toLowerCase(Locale.ROOT).strip(), "bin");
        Path file = dir.resolve(UUID.randomUUID() + "." + ext);
        Files.write(file, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
