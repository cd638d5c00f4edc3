package io.switchboard.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;

/**
 * A client's keys made by libsignal, as a Signal client makes them: an identity key pair, and uploads for {@code PUT
 * /v1/keys} with a signed pre-key, a last-resort Kyber pre-key and one-time keys of both kinds, every signed key signed
 * by the identity key. Not thread-safe.
 */
public final class TestKeys {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    /** The id of the last-resort Kyber pre-key of every upload. */
    public static final int LAST_RESORT_ID = 999_999;

    private final IdentityKeyPair identity;

    public TestKeys() {
        this(IdentityKeyPair.generate());
    }

    /** Another device of the same account: the same identity key pair. */
    public TestKeys(IdentityKeyPair identity) {
        this.identity = identity;
    }

    public IdentityKeyPair identity() {
        return identity;
    }

    public String identityKey() {
        return BASE64.encodeToString(identity.getPublicKey().serialize());
    }

    /**
     * A full upload: registration id, signed pre-key, last-resort Kyber pre-key, {@code preKeys} one-time EC pre-keys
     * and {@code kyberPreKeys} one-time Kyber pre-keys, the one-time keys of each kind with ids from {@code firstId}.
     */
    public String upload(int firstId, int preKeys, int kyberPreKeys) {
        return json(uploadFields(firstId, preKeys, kyberPreKeys));
    }

    /** The fields of {@link #upload}, for a test to change one. */
    public Map<String, Object> uploadFields(int firstId, int preKeys, int kyberPreKeys) {
        Map<String, Object> upload = new LinkedHashMap<>();
        upload.put("identityKey", identityKey());
        upload.put("registrationId", 4242);
        upload.put("signedPreKey", signed(7, ECKeyPair.generate().getPublicKey().serialize()));
        upload.put("lastResortKyberPreKey", signed(LAST_RESORT_ID, kyberKey()));
        List<Map<String, Object>> ec = new ArrayList<>();
        for (int i = 0; i < preKeys; i++) {
            ec.add(key(firstId + i, ECKeyPair.generate().getPublicKey().serialize(), null));
        }
        List<Map<String, Object>> kyber = new ArrayList<>();
        for (int i = 0; i < kyberPreKeys; i++) {
            kyber.add(signed(firstId + i, kyberKey()));
        }
        upload.put("preKeys", ec);
        upload.put("kyberPreKeys", kyber);
        return upload;
    }

    private static byte[] kyberKey() {
        return KEMKeyPair.generate(KEMKeyType.KYBER_1024).getPublicKey().serialize();
    }

    /** A key signed by this identity. */
    public Map<String, Object> signed(int id, byte[] publicKey) {
        return key(id, publicKey, identity.getPrivateKey().calculateSignature(publicKey));
    }

    private static Map<String, Object> key(int id, byte[] publicKey, byte[] signature) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("id", id);
        key.put("publicKey", BASE64.encodeToString(publicKey));
        if (signature != null) {
            key.put("signature", BASE64.encodeToString(signature));
        }
        return key;
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
