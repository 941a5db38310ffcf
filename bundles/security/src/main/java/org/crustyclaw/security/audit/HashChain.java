package org.crustyclaw.security.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an event: SHA-256 over its previous hash, time, type, actor and canonical
 * payload. The sequence number is not hashed: the chain of previous hashes fixes the order,
 * so a moved event still verifies on its own and is reported as reordered, not changed.
 */
final class HashChain {

    static final String GENESIS = "0".repeat(64);

    private HashChain() {}

    static String hash(String prevHash, Instant at, String type, String actor, String payload) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
        for (String part : new String[] {prevHash, at.toString(), type, actor, payload}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(intBytes(bytes.length));
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] intBytes(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
