package io.switchboard.core.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.keys.DeviceBundle;
import io.switchboard.core.keys.KeyBundle;
import io.switchboard.core.keys.KeyCounts;
import io.switchboard.core.keys.KeyUpload;
import io.switchboard.core.keys.PreKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of protocol.md's Keys: an upload read into a {@link KeyUpload} (shapes and sizes only; {@code
 * KeySignatures} checks the keys), and bundles and counts written back, bytes in base64 with padding. Thread-safe.
 */
final class KeyJson {
    /** Base64 of the largest key (a Kyber-1024 public key of 1,569 bytes is 2,092 characters), with room to spare. */
    private static final int MAX_KEY_CHARS = 4096;

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private KeyJson() {}

    /**
     * An upload's body.
     *
     * @throws IllegalArgumentException naming the first field that is missing or not of its shape
     */
    static KeyUpload upload(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with identityKey and the keys to store");
        }
        JsonNode registrationId = body.get("registrationId");
        return new KeyUpload(
                bytes(body.get("identityKey"), "identityKey"),
                registrationId == null || registrationId.isNull()
                        ? KeyUpload.NO_REGISTRATION_ID
                        : integer(registrationId, "registrationId", 1),
                key(body.get("signedPreKey"), "signedPreKey", true),
                key(body.get("lastResortKyberPreKey"), "lastResortKyberPreKey", true),
                keys(body.get("preKeys"), "preKeys", false),
                keys(body.get("kyberPreKeys"), "kyberPreKeys", true));
    }

    private static List<PreKey> keys(JsonNode array, String name, boolean signed) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException(name + " must be an array of keys");
        }
        List<PreKey> keys = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            keys.add(key(array.get(i), name + "[" + i + "]", signed));
        }
        return keys;
    }

    /** A key object, or null when absent: {@code {"id":N,"publicKey":B}} and, when signed, {@code "signature":B}. */
    private static PreKey key(JsonNode key, String name, boolean signed) {
        if (key == null || key.isNull()) {
            return null;
        }
        if (!key.isObject()) {
            throw new IllegalArgumentException(name + " must be an object with id and publicKey");
        }
        return new PreKey(
                integer(key.get("id"), name + ".id", 0),
                bytes(key.get("publicKey"), name + ".publicKey"),
                signed ? bytes(key.get("signature"), name + ".signature") : null);
    }

    private static int integer(JsonNode node, String name, int min) {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < min) {
            throw new IllegalArgumentException(name + " must be an integer in " + min + ".." + Integer.MAX_VALUE);
        }
        return node.intValue();
    }

    private static byte[] bytes(JsonNode node, String name) {
        if (node == null
                || !node.isTextual()
                || node.textValue().isEmpty()
                || node.textValue().length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException(name + " must be base64 of at most " + MAX_KEY_CHARS + " characters");
        }
        try {
            return Base64.getDecoder().decode(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not base64: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> bundle(KeyBundle bundle) {
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceBundle device : bundle.devices()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("device", device.device());
            if (device.registrationId() != 0) {
                json.put("registrationId", device.registrationId());
            }
            json.put("signedPreKey", key(device.signedPreKey()));
            if (device.preKey() != null) {
                json.put("preKey", key(device.preKey()));
            }
            json.put("kyberPreKey", key(device.kyberPreKey()));
            devices.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("identityKey", BASE64.encodeToString(bundle.identityKey()));
        json.put("devices", devices);
        return json;
    }

    private static Map<String, Object> key(PreKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        json.put("publicKey", BASE64.encodeToString(key.publicKey()));
        if (key.signature() != null) {
            json.put("signature", BASE64.encodeToString(key.signature()));
        }
        return json;
    }

    static Map<String, Object> counts(KeyCounts counts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("preKeys", counts.preKeys());
        json.put("kyberPreKeys", counts.kyberPreKeys());
        return json;
    }
}
