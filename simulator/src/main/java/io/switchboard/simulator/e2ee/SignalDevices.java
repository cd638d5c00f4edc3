package io.switchboard.simulator.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.simulator.net.DeviceSlots;
import java.util.Base64;
import java.util.SplittableRandom;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * The Signal state of a population of virtual devices, numbered by slot as the simulator numbers them: an identity
 * key pair per user, which its companion devices share (a linked device gets the account's identity, as WhatsApp's
 * companions do), and per device a libsignal store with its own registration id, signed pre-key, last-resort Kyber
 * pre-key, the private halves of the one-time pre-keys it uploaded, its sessions and its sender keys. A device's
 * address is its user id and device number. Keys are made from nothing but libsignal's own randomness, so two runs of
 * one seed share a workload, not keys.
 *
 * <p>Not thread-safe: make the devices on one thread, then use them on the client loop only.
 */
public final class SignalDevices {
    /** Id of every device's signed pre-key and last-resort Kyber pre-key; one-time keys are numbered from 1 up. */
    private static final int LAST_RESORT_ID = 0x7FFF_FFFE;

    private static final int SIGNED_ID = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder UNB64 = Base64.getDecoder();

    private final IdentityKeyPair[] identities;
    private final InMemorySignalProtocolStore[] stores;
    private final SignalProtocolAddress[] addresses;
    private final int[] nextPreKeyId;

    /** Identities and stores for {@code users} users, each with {@code slots}' devices. */
    public SignalDevices(long seed, int users, DeviceSlots slots) {
        identities = new IdentityKeyPair[users];
        stores = new InMemorySignalProtocolStore[slots.count(users)];
        addresses = new SignalProtocolAddress[stores.length];
        nextPreKeyId = new int[stores.length];
        SplittableRandom registrationIds = new SplittableRandom(seed);
        for (int user = 0; user < users; user++) {
            identities[user] = IdentityKeyPair.generate();
            for (int device = 1; device <= slots.devicesPerUser(); device++) {
                int slot = slots.slot(user, device);
                stores[slot] = new InMemorySignalProtocolStore(identities[user], registrationIds.nextInt(1, 16381));
                addresses[slot] = new SignalProtocolAddress(Long.toString(user + 1L), device);
                nextPreKeyId[slot] = 1;
            }
        }
    }

    public InMemorySignalProtocolStore store(int slot) {
        return stores[slot];
    }

    public SignalProtocolAddress address(int slot) {
        return addresses[slot];
    }

    /**
     * What the device uploads when it registers: its identity, registration id, a signed pre-key, a last-resort Kyber
     * pre-key and {@code oneTime} one-time pre-keys of each kind; the private halves go into its store.
     */
    public byte[] registration(int slot, int oneTime) {
        InMemorySignalProtocolStore store = stores[slot];
        IdentityKeyPair identity = store.getIdentityKeyPair();
        OneTimeKeys keys = make(slot, reserve(slot, oneTime), oneTime);
        keep(keys);
        ObjectNode upload = keys.upload;
        upload.put("registrationId", store.getLocalRegistrationId());
        ECKeyPair signed = ECKeyPair.generate();
        byte[] signature = identity.getPrivateKey()
                .calculateSignature(signed.getPublicKey().serialize());
        store.storeSignedPreKey(SIGNED_ID, new SignedPreKeyRecord(SIGNED_ID, 0, signed, signature));
        upload.set("signedPreKey", key(SIGNED_ID, signed.getPublicKey().serialize(), signature));
        KyberPreKeyRecord lastResort = kyber(identity, LAST_RESORT_ID);
        store.storeKyberPreKey(LAST_RESORT_ID, lastResort);
        upload.set("lastResortKyberPreKey", key(lastResort));
        return bytes(upload);
    }

    /** Reserves {@code count} one-time key ids of the device and returns the first. Client loop. */
    public int reserve(int slot, int count) {
        int first = nextPreKeyId[slot];
        nextPreKeyId[slot] += count;
        return first;
    }

    /**
     * Makes {@code count} one-time pre-keys of each kind numbered from {@code firstId} (see {@link #reserve}), and the
     * upload that carries them, as a client does on {@code keys.low}. Reads only the device's identity, so it may run
     * off the client loop: key generation is the costliest thing a client does (a Kyber-1024 key pair and a signature
     * per key).
     */
    public OneTimeKeys make(int slot, int firstId, int count) {
        IdentityKeyPair identity = stores[slot].getIdentityKeyPair();
        ObjectNode upload = JSON.createObjectNode();
        upload.put("identityKey", B64.encodeToString(identity.getPublicKey().serialize()));
        ArrayNode preKeys = upload.putArray("preKeys");
        ArrayNode kyberPreKeys = upload.putArray("kyberPreKeys");
        PreKeyRecord[] ec = new PreKeyRecord[count];
        KyberPreKeyRecord[] kyber = new KyberPreKeyRecord[count];
        for (int i = 0; i < count; i++) {
            int id = firstId + i;
            ECKeyPair pair = ECKeyPair.generate();
            ec[i] = new PreKeyRecord(id, pair);
            preKeys.add(key(id, pair.getPublicKey().serialize(), null));
            kyber[i] = kyber(identity, id);
            kyberPreKeys.add(key(kyber[i]));
        }
        return new OneTimeKeys(slot, ec, kyber, upload);
    }

    /** Stores the private halves of keys {@link #make} made, before they are uploaded. Client loop. */
    public void keep(OneTimeKeys keys) {
        InMemorySignalProtocolStore store = stores[keys.slot];
        for (PreKeyRecord record : keys.ec) {
            store.storePreKey(record.getId(), record);
        }
        for (KyberPreKeyRecord record : keys.kyber) {
            store.storeKyberPreKey(record.getId(), record);
        }
    }

    /** One-time keys of a device: the private halves to {@link #keep}, and the upload that carries the public ones. */
    public static final class OneTimeKeys {
        private final int slot;
        private final PreKeyRecord[] ec;
        private final KyberPreKeyRecord[] kyber;
        private final ObjectNode upload;

        private OneTimeKeys(int slot, PreKeyRecord[] ec, KyberPreKeyRecord[] kyber, ObjectNode upload) {
            this.slot = slot;
            this.ec = ec;
            this.kyber = kyber;
            this.upload = upload;
        }

        /** {@code PUT /v1/keys}'s body. */
        public byte[] upload() {
            return bytes(upload);
        }
    }

    private static KyberPreKeyRecord kyber(IdentityKeyPair identity, int id) {
        KEMKeyPair pair = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
        byte[] signature =
                identity.getPrivateKey().calculateSignature(pair.getPublicKey().serialize());
        return new KyberPreKeyRecord(id, 0, pair, signature);
    }

    private static ObjectNode key(KyberPreKeyRecord record) {
        try {
            return key(record.getId(), record.getKeyPair().getPublicKey().serialize(), record.getSignature());
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode key(int id, byte[] publicKey, byte[] signature) {
        ObjectNode key = JSON.createObjectNode().put("id", id).put("publicKey", B64.encodeToString(publicKey));
        if (signature != null) {
            key.put("signature", B64.encodeToString(signature));
        }
        return key;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bundle of one device of a {@code GET /v1/keys} answer ({@code answer}'s identity, one of its devices). */
    public static PreKeyBundle bundle(JsonNode answer, JsonNode device) throws InvalidKeyException {
        IdentityKey identity =
                new IdentityKey(UNB64.decode(answer.get("identityKey").asText()));
        JsonNode signed = device.get("signedPreKey");
        JsonNode oneTime = device.get("preKey");
        JsonNode kyber = device.get("kyberPreKey");
        return new PreKeyBundle(
                device.get("registrationId").asInt(),
                device.get("device").asInt(),
                oneTime == null
                        ? PreKeyBundle.NULL_PRE_KEY_ID
                        : oneTime.get("id").asInt(),
                oneTime == null ? null : new ECPublicKey(bytesOf(oneTime, "publicKey")),
                signed.get("id").asInt(),
                new ECPublicKey(bytesOf(signed, "publicKey")),
                bytesOf(signed, "signature"),
                identity,
                kyber.get("id").asInt(),
                new KEMPublicKey(bytesOf(kyber, "publicKey")),
                bytesOf(kyber, "signature"));
    }

    private static byte[] bytesOf(JsonNode key, String field) {
        return UNB64.decode(key.get(field).asText());
    }
}
