package io.switchboard.core.protocol;

/**
 * Which of a frame's optional fields are present, one bit each. Set by the frame's setters and by the decoder, so that
 * 0, an empty string or an empty list can be a value rather than an absence, and the encoder writes exactly what is
 * present. Belongs to its {@link Frame}.
 */
final class OptionalFields {
    static final int ID = 1;
    static final int NAME = 1 << 1;
    static final int MESSAGE = 1 << 2;
    static final int MEDIA = 1 << 3;
    static final int LAST_SEEN = 1 << 4;
    static final int MEMBERS = 1 << 5;
    static final int ADMINS = 1 << 6;
    static final int MISSING = 1 << 7;
    static final int EXTRA = 1 << 8;
    static final int REQ = 1 << 9;
    static final int INVITED = 1 << 10;

    private int present;

    boolean has(final int field) {
        return (present & field) != 0;
    }

    void mark(final int field) {
        present |= field;
    }

    /** Marks the field present, or (false) absent again. */
    void mark(final int field, final boolean isPresent) {
        present = isPresent ? present | field : present & ~field;
    }

    void clear() {
        present = 0;
    }
}
