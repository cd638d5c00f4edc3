package io.switchboard.simulator.run;

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

    /** Writes message {@code index}'s plaintext of {@code length} bytes into {@code body}. */
    static void write(MutableDirectBuffer body, byte[] marker, int index, long intendedNs, int length) {
        body.putLong(0, index);
        body.putLong(8, intendedNs);
        if (length >= WITH_DIGEST) {
            for (int i = WITH_DIGEST; i < length; i++) {
                body.putByte(i, marker[(i - WITH_DIGEST) % marker.length]);
            }
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

    /** FNV-1a over the plaintext but its digest field: cheap, and any changed byte changes it. */
    private static long digest(DirectBuffer body, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            if (i < DIGEST_OFFSET || i >= WITH_DIGEST) {
                hash = (hash ^ (body.getByte(i) & 0xFF)) * 0x100000001b3L;
            }
        }
        return hash ^ length;
    }
}
