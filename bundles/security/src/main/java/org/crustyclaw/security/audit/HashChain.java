package org.crustyclaw.security.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash of an event: HMAC-SHA256, under the daemon's audit key, over its previous hash,
 * time, type, actor and canonical payload. Keyed, so someone who can write the database but
 * cannot read the key file cannot forge an event or recompute a rewritten chain. The sequence
 * number is not hashed: the chain of previous hashes fixes the order, so a moved event still
 * verifies on its own and is reported as reordered, not changed.
 */
final class HashChain {

    static final String GENESIS = "0".repeat(64);

    private final ThreadLocal<Mac> mac;

    HashChain(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("audit key is " + key.length + " bytes: expected 32");
        }
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
            }
        });
    }

    String hash(String prevHash, Instant at, String type, String actor, String payload) {
        return mac(prevHash, at.toString(), type, actor, payload);
    }

    /** The MAC of some fields, each length-prefixed so no two field lists share one. */
    String mac(String... parts) {
        Mac m = mac.get();
        m.reset();
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            m.update(intBytes(bytes.length));
            m.update(bytes);
        }
        return HexFormat.of().formatHex(m.doFinal());
    }

    private static byte[] intBytes(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
