package io.switchboard.core.keys;

import java.util.ArrayList;
import java.util.List;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;

/**
 * Checks an upload with libsignal, as a client that fetches the keys will: the identity key and every pre-key must
 * parse as their kind (a Curve25519 key, a Kyber-1024 key), and every signed pre-key must carry the identity key's
 * signature of its serialized public key. Keys are kept as libsignal serializes them again, so what is stored is
 * canonical whatever the client sent. Thread-safe (no state); costs about one signature check per signed key.
 */
public final class KeySignatures {
    private KeySignatures() {}

    /**
     * The upload with its keys in canonical form, every signature verified.
     *
     * @throws IllegalArgumentException naming the first key that does not parse or whose signature is not the identity
     *     key's
     */
    public static KeyUpload verified(KeyUpload upload) {
        IdentityKey identity;
        try {
            identity = new IdentityKey(upload.identityKey());
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw new IllegalArgumentException("identityKey is not a Curve25519 public key: " + e.getMessage(), e);
        }
        ECPublicKey signer = identity.getPublicKey();
        PreKey signed = upload.signedPreKey() == null
                ? null
                : signed(signer, upload.signedPreKey(), ecKey(upload.signedPreKey(), "signedPreKey"), "signedPreKey");
        PreKey lastResort = upload.lastResortKyberPreKey() == null
                ? null
                : signed(
                        signer,
                        upload.lastResortKyberPreKey(),
                        kyberKey(upload.lastResortKyberPreKey(), "lastResortKyberPreKey"),
                        "lastResortKyberPreKey");
        List<PreKey> preKeys = new ArrayList<>(upload.preKeys().size());
        for (int i = 0; i < upload.preKeys().size(); i++) {
            PreKey key = upload.preKeys().get(i);
            preKeys.add(PreKey.unsigned(key.id(), ecKey(key, "preKeys[" + i + "]")));
        }
        List<PreKey> kyberPreKeys = new ArrayList<>(upload.kyberPreKeys().size());
        for (int i = 0; i < upload.kyberPreKeys().size(); i++) {
            PreKey key = upload.kyberPreKeys().get(i);
            String name = "kyberPreKeys[" + i + "]";
            kyberPreKeys.add(signed(signer, key, kyberKey(key, name), name));
        }
        return new KeyUpload(identity.serialize(), upload.registrationId(), signed, lastResort, preKeys, kyberPreKeys);
    }

    private static PreKey signed(ECPublicKey signer, PreKey key, byte[] canonical, String name) {
        if (key.signature() == null || !signer.verifySignature(canonical, key.signature())) {
            throw new IllegalArgumentException(name + " (id " + key.id() + ") is not signed by the identity key");
        }
        return new PreKey(key.id(), canonical, key.signature());
    }

    private static byte[] ecKey(PreKey key, String name) {
        try {
            return new ECPublicKey(key.publicKey()).serialize();
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a Curve25519 public key: " + e.getMessage(), e);
        }
    }

    private static byte[] kyberKey(PreKey key, String name) {
        try {
            return new KEMPublicKey(key.publicKey()).serialize();
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a Kyber public key: " + e.getMessage(), e);
        }
    }
}
