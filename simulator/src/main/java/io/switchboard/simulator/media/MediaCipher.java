package io.switchboard.simulator.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A client's encryption of a media blob, as WhatsApp's (its security whitepaper, "Transmitting Media and Other
 * Attachments"): a random 32-byte media key is expanded by HKDF-SHA256 into an IV, an AES-256 key and an HMAC-SHA256
 * key; the blob is AES-256-CBC (PKCS#7) encrypted and followed by the first 10 bytes of the HMAC of IV and ciphertext.
 * The server stores only that file; the media key and the SHA-256 digests of the file and of the plaintext travel
 * inside the message body, so a recipient checks the download before it decrypts it. Stateless and thread-safe.
 */
public final class MediaCipher {
    public static final int KEY_BYTES = 32;
    public static final int DIGEST_BYTES = 32;
    /** HMAC bytes kept after the ciphertext, as WhatsApp truncates it. */
    static final int MAC_BYTES = 10;

    private static final byte[] INFO = "Switchboard Media Keys".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 16;

    private MediaCipher() {}

    /** The encrypted file of {@code plaintext} under {@code mediaKey}. */
    public static byte[] seal(byte[] mediaKey, byte[] plaintext) throws GeneralSecurityException {
        byte[] keys = expand(mediaKey);
        Cipher aes = aes(Cipher.ENCRYPT_MODE, keys);
        byte[] file = new byte[aes.getOutputSize(plaintext.length) + MAC_BYTES];
        int length = aes.doFinal(plaintext, 0, plaintext.length, file, 0);
        System.arraycopy(mac(keys, file, length), 0, file, length, MAC_BYTES);
        return Arrays.copyOf(file, length + MAC_BYTES);
    }

    /**
     * The plaintext of {@code file}.
     *
     * @throws GeneralSecurityException when its MAC does not match (a file changed or cut short) or it does not decrypt
     */
    public static byte[] open(byte[] mediaKey, byte[] file) throws GeneralSecurityException {
        int length = file.length - MAC_BYTES;
        if (length <= 0) {
            throw new GeneralSecurityException("a media file of " + file.length + " bytes is too short");
        }
        byte[] keys = expand(mediaKey);
        byte[] expected = Arrays.copyOf(mac(keys, file, length), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(file, length, file.length))) {
            throw new GeneralSecurityException("media MAC mismatch");
        }
        return aes(Cipher.DECRYPT_MODE, keys).doFinal(file, 0, length);
    }

    public static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static Cipher aes(int mode, byte[] keys) throws GeneralSecurityException {
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(mode, new SecretKeySpec(keys, IV_BYTES, 32, "AES"), new IvParameterSpec(keys, 0, IV_BYTES));
        return aes;
    }

    private static byte[] mac(byte[] keys, byte[] file, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keys, IV_BYTES + 32, 32, "HmacSHA256"));
        mac.update(keys, 0, IV_BYTES);
        mac.update(file, 0, length);
        return mac.doFinal();
    }

    /** HKDF-SHA256 (RFC 5869) with a zero salt: IV (16 bytes), AES key (32), MAC key (32). */
    private static byte[] expand(byte[] mediaKey) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = hmac.doFinal(mediaKey);
        hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] out = new byte[IV_BYTES + 64];
        byte[] block = new byte[0];
        for (int i = 0, at = 0; at < out.length; i++) {
            hmac.update(block);
            hmac.update(INFO);
            hmac.update((byte) (i + 1));
            block = hmac.doFinal();
            int n = Math.min(block.length, out.length - at);
            System.arraycopy(block, 0, out, at, n);
            at += n;
        }
        return out;
    }
}
