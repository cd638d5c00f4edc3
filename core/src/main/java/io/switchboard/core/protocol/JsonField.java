package io.switchboard.core.protocol;

import java.util.Arrays;

/**
 * The keys of {@code sb.json.v1}, top-level and nested. The ordinal is a bit position in the decoder's
 * seen/required masks, so there must stay at most 64 of them.
 */
enum JsonField {
    T("t"),
    USER("user"),
    DEVICE("device"),
    TOKEN("token"),
    TS("ts"),
    ID("id"),
    SEQ("seq"),
    TO("to"),
    FROM("from"),
    GROUP("group"),
    ENV("env"),
    TYPE("type"),
    BODY("body"),
    MEDIA("media"),
    SIZE("size"),
    KIND("kind"),
    IDS("ids"),
    CODE("code"),
    MESSAGE("message"),
    MISSING("missing"),
    EXTRA("extra"),
    REQ("req"),
    NAME("name"),
    MEMBERS("members"),
    OK("ok"),
    ADMINS("admins"),
    EVENT("event"),
    BY("by"),
    ONLINE("online"),
    LAST_SEEN("lastSeen"),
    ON("on"),
    RSEQ("rseq"),
    RECEIPT_ACKS("receiptAcks"),
    RETRY_AFTER_MS("retryAfterMs"),
    INVITE("invite"),
    INVITED("invited"),
    EXPIRES_AT("expiresAt"),
    PRE_KEYS("preKeys"),
    KYBER_PRE_KEYS("kyberPreKeys");

    /** Longest key; a longer key in the input is unknown without being copied in full. */
    static final int MAX_KEY_LENGTH = 16;

    private static final JsonField[] VALUES = values();

    /** Keys bucketed by first byte: a look-up compares against two or three candidates at most. */
    private static final JsonField[][] BY_FIRST_BYTE = new JsonField[128][];

    static {
        for (final JsonField field : VALUES) {
            final int first = field.bytes[0];
            final JsonField[] bucket = BY_FIRST_BYTE[first];
            final JsonField[] grown = bucket == null ? new JsonField[1] : Arrays.copyOf(bucket, bucket.length + 1);
            grown[grown.length - 1] = field;
            BY_FIRST_BYTE[first] = grown;
        }
    }

    final String wireName;
    final byte[] bytes;
    /** {@code "name":}, written as one run by the encoder. */
    final byte[] key;

    final long bit;

    JsonField(final String wireName) {
        this.wireName = wireName;
        this.bytes = WireNames.ascii(wireName);
        this.key = WireNames.ascii('"' + wireName + "\":");
        this.bit = 1L << ordinal();
    }

    static JsonField lookup(final FrameText key) {
        final int length = key.length();
        if (length == 0) {
            return null;
        }
        final byte[] bytes = key.array();
        final int first = bytes[0];
        if (first < 0) {
            return null;
        }
        final JsonField[] bucket = BY_FIRST_BYTE[first];
        if (bucket == null) {
            return null;
        }
        for (final JsonField field : bucket) {
            if (field.bytes.length == length && matches(field.bytes, bytes)) {
                return field;
            }
        }
        return null;
    }

    private static boolean matches(final byte[] name, final byte[] bytes) {
        for (int i = 1; i < name.length; i++) {
            if (name[i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
