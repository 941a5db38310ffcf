package org.crustyclaw.security.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.crustyclaw.security.secret.OwnerOnlyFiles;

/**
 * The head of the chain kept outside the database ({@code audit.head} beside it, 0600): the
 * sequence number and hash of the last event the daemon committed, MACed with the audit key.
 * Written after every commit, never before, so it may lag the database (a crash between the
 * two) but never lead it: a database that ends before the checkpoint lost events.
 *
 * @param seq  the last committed event, 0 for none
 * @param hash its hash
 */
record Checkpoint(long seq, String hash) {

    private static final Pattern LINE = Pattern.compile("crustyclaw-audit-head v1 seq=(\\d+) hash=([0-9a-f]{64}) mac=([0-9a-f]{64})\\s*");

    static Path fileFor(Path database) {
        return database.toAbsolutePath().resolveSibling("audit.head");
    }

    /** Empty when there is no file yet; throws naming the file when it is unreadable, malformed or forged. */
    static Optional<Checkpoint> read(Path file, HashChain chain) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = new String(OwnerOnlyFiles.read(file), StandardCharsets.US_ASCII);
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            throw new IOException("checkpoint " + file + " is not 'crustyclaw-audit-head v1 seq=N hash=H mac=M'");
        }
        Checkpoint c = new Checkpoint(Long.parseLong(m.group(1)), m.group(2));
        if (!chain.mac("checkpoint", Long.toString(c.seq), c.hash).equals(m.group(3))) {
            throw new IOException("checkpoint " + file + " does not carry the audit key's MAC: it was written by someone else");
        }
        return Optional.of(c);
    }

    void write(Path file, HashChain chain) throws IOException {
        String mac = chain.mac("checkpoint", Long.toString(seq), hash);
        OwnerOnlyFiles.write(file, ("crustyclaw-audit-head v1 seq=" + seq + " hash=" + hash + " mac=" + mac + "\n")
                .getBytes(StandardCharsets.US_ASCII));
    }
}
