package io.switchboard.core.keys;

import java.util.List;

/**
 * One {@code PUT /v1/keys} as read from its body: the identity key, and whichever of the rest it carries (null, or
 * {@link #NO_REGISTRATION_ID}, for those it does not). Checked by {@link KeySignatures} before it reaches the store.
 */
public record KeyUpload(
        byte[] identityKey,
        int registrationId,
        PreKey signedPreKey,
        PreKey lastResortKyberPreKey,
        List<PreKey> preKeys,
        List<PreKey> kyberPreKeys) {
    public static final int NO_REGISTRATION_ID = -1;
}
