package io.switchboard.core.keys;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One line of {@code keys.log}: a change to one user's keys, B the bytes in base64 with padding.
 *
 * <pre>
 *  identity USER B                      the account's identity key (set, or replaced by the primary)
 *  registration USER DEVICE N           the device's registration id
 *  signed USER DEVICE ID KEY SIG        the device's signed pre-key (replaces the one before)
 *  last-resort USER DEVICE ID KEY SIG   the device's last-resort Kyber pre-key (replaces the one before)
 *  pre USER DEVICE ID KEY               a one-time EC pre-key (replaces one of the same id)
 *  kyber USER DEVICE ID KEY SIG         a one-time Kyber pre-key (replaces one of the same id)
 *  taken-pre USER DEVICE ID             that one-time EC pre-key was handed out: it is never handed out again
 *  taken-kyber USER DEVICE ID           the same for a one-time Kyber pre-key
 *  drop USER DEVICE                     every key of the device is gone (it was removed, or the identity changed)
 * </pre>
 *
 * @param id the key's id, or the registration id; 0 where the line has none
 */
record KeyEntry(Kind kind, long user, int device, int id, byte[] key, byte[] signature) {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder UNBASE64 = Base64.getDecoder();

    enum Kind {
        IDENTITY("identity", 3),
        REGISTRATION("registration", 4),
        SIGNED("signed", 6),
        LAST_RESORT("last-resort", 6),
        PRE("pre", 5),
        KYBER("kyber", 6),
        TAKEN_PRE("taken-pre", 4),
        TAKEN_KYBER("taken-kyber", 4),
        DROP("drop", 3);

        private final String word;
        /** Words on the line, the kind's included. */
        private final int words;

        Kind(String word, int words) {
            this.word = word;
            this.words = words;
        }

        static Kind of(String word) {
            for (Kind kind : values()) {
                if (kind.word.equals(word)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no kind of key entry is called " + word);
        }
    }

    static KeyEntry identity(long user, byte[] key) {
        return new KeyEntry(Kind.IDENTITY, user, 0, 0, key, null);
    }

    static KeyEntry registration(long user, int device, int registrationId) {
        return new KeyEntry(Kind.REGISTRATION, user, device, registrationId, null, null);
    }

    /** A key of {@code kind} (SIGNED, LAST_RESORT, PRE or KYBER). */
    static KeyEntry key(Kind kind, long user, int device, PreKey key) {
        return new KeyEntry(kind, user, device, key.id(), key.publicKey(), key.signature());
    }

    static KeyEntry taken(Kind kind, long user, int device, int id) {
        return new KeyEntry(kind, user, device, id, null, null);
    }

    static KeyEntry drop(long user, int device) {
        return new KeyEntry(Kind.DROP, user, device, 0, null, null);
    }

    /** The key this line stores, for SIGNED, LAST_RESORT, PRE and KYBER. */
    PreKey preKey() {
        return new PreKey(id, key, signature);
    }

    /** The line, newline included, in US-ASCII. */
    byte[] line() {
        StringBuilder line = new StringBuilder(key == null ? 48 : 48 + key.length * 4 / 3);
        line.append(kind.word).append(' ').append(user);
        if (kind != Kind.IDENTITY) {
            line.append(' ').append(device);
        }
        if (kind != Kind.IDENTITY && kind != Kind.DROP) {
            line.append(' ').append(id);
        }
        if (key != null) {
            line.append(' ').append(BASE64.encodeToString(key));
        }
        if (signature != null) {
            line.append(' ').append(BASE64.encodeToString(signature));
        }
        return line.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a line back.
     *
     * @throws IllegalArgumentException for a line that is not an entry
     */
    static KeyEntry parse(String line) {
        String[] words = line.split(" ", -1);
        Kind kind = Kind.of(words[0]);
        if (words.length != kind.words) {
            throw new IllegalArgumentException(kind.word + " needs " + kind.words + " words: " + line);
        }
        long user = Long.parseLong(words[1]);
        if (kind == Kind.IDENTITY) {
            return identity(user, UNBASE64.decode(words[2]));
        }
        int device = Integer.parseInt(words[2]);
        return switch (kind) {
            case DROP -> drop(user, device);
            case REGISTRATION -> registration(user, device, Integer.parseInt(words[3]));
            case TAKEN_PRE, TAKEN_KYBER -> taken(kind, user, device, Integer.parseInt(words[3]));
            default ->
                new KeyEntry(
                        kind,
                        user,
                        device,
                        Integer.parseInt(words[3]),
                        UNBASE64.decode(words[4]),
                        kind == Kind.PRE ? null : UNBASE64.decode(words[5]));
        };
    }
}
