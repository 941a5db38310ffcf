package org.crustyclaw.security.secret;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The encrypted secret store: {@code CCS1 | 12-byte nonce | AES-256-GCM(entries)}, with the
 * magic as associated data, written 0600 and atomically. A fresh nonce on every write.
 */
public final class EncryptedStoreFile {

    private static final byte[] MAGIC = "CCS1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Path keyFile;

    public EncryptedStoreFile(Path file, Path keyFile) {
        this.file = file;
        this.keyFile = keyFile;
    }

    /** Reads the key file, creating a random 0600 one when it does not exist yet. */
    Aes256Key key() throws IOException {
        if (!Files.exists(keyFile)) {
            byte[] fresh = new byte[Aes256Key.LENGTH];
            RANDOM.nextBytes(fresh);
            OwnerOnlyFiles.write(keyFile, fresh);
            Arrays.fill(fresh, (byte) 0);
        }
        byte[] raw = OwnerOnlyFiles.read(keyFile);
        try {
            if (raw.length != Aes256Key.LENGTH) {
                throw new IOException("key file " + keyFile + " holds " + raw.length + " bytes, expected "
                        + Aes256Key.LENGTH + " (an AES-256 key)");
            }
            return new Aes256Key(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** The entries; empty when the file does not exist. The caller zeroes the values. */
    public Map<String, byte[]> read() throws IOException {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        byte[] all = OwnerOnlyFiles.read(file);
        if (all.length < MAGIC.length + NONCE || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("secret store " + file + " is not a CrustyClaw store (expected it to start with CCS1)");
        }
        byte[] plain;
        try (Aes256Key key = key()) {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, all, MAGIC.length, NONCE));
            cipher.updateAAD(MAGIC);
            plain = cipher.doFinal(all, MAGIC.length + NONCE, all.length - MAGIC.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new IOException("secret store " + file + " failed authentication: it was changed, or "
                    + keyFile + " is not its key", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot decrypt secret store " + file + ": " + e.getMessage(), e);
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain))) {
            Map<String, byte[]> entries = new TreeMap<>();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] value = new byte[in.readInt()];
                in.readFully(value);
                entries.put(name, value);
            }
            return entries;
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Replaces the file's content with {@code entries}. */
    public void write(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(entries.size());
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        }
        byte[] plain = buffer.toByteArray();
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try (Aes256Key key = key()) {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(MAGIC);
            byte[] sealed = cipher.doFinal(plain);
            OwnerOnlyFiles.write(file, ByteBuffer.allocate(MAGIC.length + NONCE + sealed.length)
                    .put(MAGIC).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt secret store " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
