package io.switchboard.core.keys;

/**
 * A public pre-key of a device as protocol.md's Keys has it: its id, the public key serialized as libsignal does (a
 * type byte, then the key), and the identity key's signature of those bytes; {@code signature} is null for a one-time
 * EC pre-key, which is not signed. The arrays are never changed once made.
 */
public record PreKey(int id, byte[] publicKey, byte[] signature) {
    /** A one-time EC pre-key: not signed. */
    public static PreKey unsigned(int id, byte[] publicKey) {
        return new PreKey(id, publicKey, null);
    }
}
