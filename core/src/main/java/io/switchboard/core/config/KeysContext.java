package io.switchboard.core.config;

/**
 * The key distribution center (protocol.md, Keys): how many one-time pre-keys of each kind a device may have stored,
 * and below how many a connected device is sent {@code keys.low} so that its client uploads more.
 */
public final class KeysContext {
    public static final String LOW_THRESHOLD_PROP = "keys.lowThreshold";
    /** As Signal's clients: they top up when fewer than ten one-time keys are left. */
    public static final int LOW_THRESHOLD_DEFAULT = 10;

    public static final String MAX_PRE_KEYS_PROP = "keys.maxPreKeys";
    /** Ten of the batches of 100 a client uploads; an EC key costs about 100 bytes of memory and log. */
    public static final int MAX_PRE_KEYS_DEFAULT = 1000;

    public static final String MAX_KYBER_PRE_KEYS_PROP = "keys.maxKyberPreKeys";
    /** A Kyber-1024 key with its signature costs about 1.7 KB of memory and 2.2 KB of log: 1.7 MB a device at most. */
    public static final int MAX_KYBER_PRE_KEYS_DEFAULT = 1000;

    private static final int MAX_KEYS = 100_000;

    private final int lowThreshold;
    private final int maxPreKeys;
    private final int maxKyberPreKeys;

    private KeysContext(Settings settings) {
        maxPreKeys = settings.integer(MAX_PRE_KEYS_PROP, MAX_PRE_KEYS_DEFAULT, 1, MAX_KEYS);
        maxKyberPreKeys = settings.integer(MAX_KYBER_PRE_KEYS_PROP, MAX_KYBER_PRE_KEYS_DEFAULT, 1, MAX_KEYS);
        lowThreshold = settings.integer(LOW_THRESHOLD_PROP, LOW_THRESHOLD_DEFAULT, 0, MAX_KEYS);
        if (lowThreshold > Math.min(maxPreKeys, maxKyberPreKeys)) {
            throw settings.invalid(
                    LOW_THRESHOLD_PROP,
                    "expected at most " + MAX_PRE_KEYS_PROP + " and " + MAX_KYBER_PRE_KEYS_PROP
                            + ", or a device could never be above it");
        }
    }

    public static KeysContext from(Settings settings) {
        return new KeysContext(settings);
    }

    /** Below this many one-time keys of either kind, a fetch that served the device sends it {@code keys.low}; 0: never. */
    public int lowThreshold() {
        return lowThreshold;
    }

    /** Whether a device left with these one-time keys is to be sent {@code keys.low}. */
    public boolean low(int preKeys, int kyberPreKeys) {
        return preKeys < lowThreshold || kyberPreKeys < lowThreshold;
    }

    /** One-time EC pre-keys a device may have stored. */
    public int maxPreKeys() {
        return maxPreKeys;
    }

    /** One-time Kyber pre-keys a device may have stored. */
    public int maxKyberPreKeys() {
        return maxKyberPreKeys;
    }

    @Override
    public String toString() {
        return "keys: lowThreshold=" + lowThreshold + " maxPreKeys=" + maxPreKeys + " maxKyberPreKeys="
                + maxKyberPreKeys;
    }
}
