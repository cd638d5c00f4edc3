package io.switchboard.simulator.run;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What a workload message says, as the sending client writes it and the receiving client reads it back:
 *
 * <pre>
 *  0               8               16              24
 *  +---------------+---------------+---------------+-----------------------------+
 *  | index         | intended ns   | digest        | filler: the run's marker... |
 *  +---------------+---------------+---------------+-----------------------------+
 * </pre>
 *
 * The index names the message to the {@link Oracle}, the intended send time times it. With encryption the digest (a
 * 64-bit hash of everything but itself) lets the recipient tell a body that decrypted but is not the one sent: any
 * change to the ciphertext fails decryption, but a client that sealed the wrong plaintext, or a server that handed a
 * body to the wrong device, must show too. The filler repeats the run's marker (see {@link #marker}), so that a scan of
 * what the server keeps can look for plaintext. Below 24 bytes (without encryption) there is no digest. A message
 * with media carries the blob's key and digests from byte 24 on ({@link MediaMessages#BODY_OFFSET}), in place of
 * filler and under the digest.
 */
final class Plaintext {
    static final int DIGEST_OFFSET = 16;
    static final int WITH_DIGEST = 24;

    private Plaintext() {}

    /** The ASCII marker every plaintext of the run with this seed carries in its filler. */
    static byte[] marker(long seed) {
        return ("sb-plaintext-" + Long.toHexString(seed) + "-").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The filler of every plaintext up to {@code maxLength} bytes: the marker over and over, from byte {@link
     * #WITH_DIGEST} on. Made once, so that writing a plaintext copies it rather than working out each byte.
     */
    static byte[] filler(byte[] marker, int maxLength) {
        byte[] filler = new byte[Math.max(0, maxLength - WITH_DIGEST)];
        for (int i = 0; i < filler.length; i++) {
            filler[i] = marker[i % marker.length];
        }
        return filler;
    }

    /** Writes message {@code index}'s plaintext of {@code length} bytes into {@code body}, with {@link #filler}. */
    static void write(MutableDirectBuffer body, byte[] filler, int index, long intendedNs, int length) {
        body.putLong(0, index);
        body.putLong(8, intendedNs);
        if (length >= WITH_DIGEST) {
            body.putBytes(WITH_DIGEST, filler, 0, length - WITH_DIGEST);
            sign(body, length);
        }
    }

    /**
     * Puts the digest of {@code body[0, length)} in its place: after a writer replaced filler with content of its own
     * (a media message's key and digests, {@link MediaMessages#writeBody}). At least {@link #WITH_DIGEST} bytes.
     */
    static void sign(MutableDirectBuffer body, int length) {
        body.putLong(DIGEST_OFFSET, digest(body, length));
    }

    /** Whether a plaintext of {@code length} bytes carries the digest of the rest of it. */
    static boolean intact(DirectBuffer body, int length) {
        return length >= WITH_DIGEST && body.getLong(DIGEST_OFFSET) == digest(body, length);
    }

    /**
     * FNV-1a's step over the plaintext's 8-byte words but its digest field (the third word), then its last bytes one by
     * one: eight times fewer steps than byte by byte, and still any changed byte changes it, since each step, an xor
     * with the next word and a multiplication by an odd number, maps different hashes to different hashes.
     */
    private static long digest(DirectBuffer body, int length) {
        long hash = 0xcbf29ce484222325L;
        int words = length & ~(Long.BYTES - 1);
        for (int i = 0; i < words; i += Long.BYTES) {
            if (i != DIGEST_OFFSET) {
                hash = (hash ^ body.getLong(i, ByteOrder.LITTLE_ENDIAN)) * 0x100000001b3L;
            }
        }
        for (int i = words; i < length; i++) {
            hash = (hash ^ (body.getByte(i) & 0xFF)) * 0x100000001b3L;
        }
        return hash ^ length;
    }
}
