package io.switchboard.core.protocol;

/**
 * The top-level fields of each frame type, in the order protocol.md shows them, and which are required. One table
 * drives both codecs: the encoder writes fields in this order, the decoder accepts exactly these fields and
 * ignores every other key.
 */
final class FrameShapes {
    private static final int TYPES = FrameType.values().length;
    private static final JsonField[][] FIELDS = new JsonField[TYPES][];
    private static final long[] RELEVANT = new long[TYPES];
    private static final long[] REQUIRED = new long[TYPES];

    static {
        // "name?" marks an optional field. typing has to? and from? because it needs exactly one of them: the
        // decoder checks that, the encoder writes from when it is set and to otherwise.
        shape(FrameType.HELLO, "user device token receiptAcks?");
        shape(FrameType.WELCOME, "user device ts receiptAcks?");
        shape(FrameType.PING, "");
        shape(FrameType.PONG, "ts");
        shape(FrameType.SEND, "id to env media?");
        shape(FrameType.ACK, "id ts");
        shape(FrameType.MSG, "seq id from group? type body media? ts");
        shape(FrameType.RECV, "seq");
        shape(FrameType.RECEIPT, "id to kind ts rseq?");
        shape(FrameType.READ, "from ids");
        shape(FrameType.ERROR, "code message? id? req? retryAfterMs? missing? extra?");
        shape(FrameType.GROUP_CREATE, "req group name? members");
        shape(FrameType.GROUP_ADD, "req group members");
        shape(FrameType.GROUP_REMOVE, "req group members");
        shape(FrameType.GROUP_LEAVE, "req group");
        shape(FrameType.GROUP_INFO, "req group");
        shape(FrameType.RESULT, "req ok members? admins? invited? code? message?");
        shape(FrameType.GROUP_EVENT, "group event by members");
        shape(FrameType.SUB, "user");
        shape(FrameType.UNSUB, "user");
        shape(FrameType.PRESENCE, "user online lastSeen?");
        shape(FrameType.TYPING, "to? from? group? on");
        shape(FrameType.RECEIPT_ACK, "rseq");
        shape(FrameType.GROUP_INVITE, "group by invite expiresAt");
        shape(FrameType.GROUP_JOIN, "req group invite");
        shape(FrameType.KEYS_LOW, "preKeys kyberPreKeys");
    }

    private FrameShapes() {}

    /** The fields of {@code type} in wire order, without {@code t}. Callers must not modify the array. */
    static JsonField[] fields(final FrameType type) {
        return FIELDS[type.ordinal()];
    }

    /** Bit mask (by {@link JsonField#bit}) of the keys {@code type} accepts, {@code t} included. */
    static long relevant(final FrameType type) {
        return RELEVANT[type.ordinal()];
    }

    static long required(final FrameType type) {
        return REQUIRED[type.ordinal()];
    }

    static boolean isRequired(final FrameType type, final JsonField field) {
        return (REQUIRED[type.ordinal()] & field.bit) != 0;
    }

    private static void shape(final FrameType type, final String spec) {
        final String[] names = spec.isEmpty() ? new String[0] : spec.split(" ");
        final JsonField[] fields = new JsonField[names.length];
        long relevant = JsonField.T.bit;
        long required = 0;
        for (int i = 0; i < names.length; i++) {
            final boolean optional = names[i].endsWith("?");
            final String name = optional ? names[i].substring(0, names[i].length() - 1) : names[i];
            final JsonField field = byName(name);
            fields[i] = field;
            relevant |= field.bit;
            if (!optional) {
                required |= field.bit;
            }
        }
        FIELDS[type.ordinal()] = fields;
        RELEVANT[type.ordinal()] = relevant;
        REQUIRED[type.ordinal()] = required;
    }

    private static JsonField byName(final String name) {
        for (final JsonField field : JsonField.values()) {
            if (field.wireName.equals(name)) {
                return field;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }
}
