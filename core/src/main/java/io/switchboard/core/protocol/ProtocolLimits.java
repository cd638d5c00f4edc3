package io.switchboard.core.protocol;

/**
 * Bounds on the values of {@code sb.json.v1}. The decoder rejects anything outside them with {@link
 * ErrorCode#BAD_FRAME}, so code behind it may rely on them (fixed-size records, bitmasks, no overflow).
 */
public final class ProtocolLimits {
    /**
     * 2^53-1, the largest integer every client (the browser dashboard among them) holds exactly in a double.
     * {@code id}, {@code user}, {@code seq} and {@code by} are in 1..MAX_ID; {@code ts}, {@code lastSeen},
     * {@code req} and a media {@code size} are in 0..MAX_ID.
     */
    public static final long MAX_ID = (1L << 53) - 1;

    /** Devices are 1..63 so that a user's set of devices fits in one {@code long} bitmask. */
    public static final int MAX_DEVICE = 63;

    /** An account has at most 8 devices, its primary included (protocol.md, HTTP endpoints, Accounts and devices). */
    public static final int MAX_DEVICES_PER_ACCOUNT = 8;

    /** A group id is 1..64 characters of {@code [A-Za-z0-9._-]}: safe in URLs, file names and metric tags. */
    public static final int MAX_GROUP_ID_LENGTH = 64;

    /** A token is 1..128 visible ASCII characters (0x21..0x7E), so it fits an HTTP header unquoted. */
    public static final int MAX_TOKEN_LENGTH = 128;

    /** A media id is 1..128 characters of the group-id charset, because it becomes a URL path segment. */
    public static final int MAX_MEDIA_ID_LENGTH = 128;

    /** A group name is at most 256 UTF-8 bytes. */
    public static final int MAX_NAME_LENGTH = 256;

    /** An error's or result's human-readable {@code message} is at most 1024 UTF-8 bytes. */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    /** At most 64 envelopes per send: one per recipient device, and a user has at most 63. */
    public static final int MAX_ENVELOPES = 64;

    /** Longest {@code members}, {@code admins}, {@code ids}, {@code missing} and {@code extra} list. */
    public static final int MAX_LIST = 4096;

    /**
     * Deepest nesting of arrays and objects inside an ignored value. The decoder skips such values recursively,
     * so this bounds the stack a hostile frame can make it use.
     */
    public static final int MAX_NESTING = 32;

    private ProtocolLimits() {}
}
