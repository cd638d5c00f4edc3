package io.switchboard.core.accounts;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One line of the account log: a change to one device of one account, as {@code accounts.log} ({@link io.switchboard.core.storage.LineLog}) has it.
 *
 * <pre>
 *  create USER DEVICE SHA256 TS   a new account whose primary device is DEVICE
 *  link USER DEVICE SHA256 TS     a companion device, linked with a code its primary obtained
 *  token USER DEVICE SHA256       the device's token rotated
 *  remove USER DEVICE TS          the primary removed this companion device
 *  USER DEVICE SHA256             written before linking existed: a device's new token, or a device new to its
 *                                 account (the account's first device is its primary)
 * </pre>
 *
 * SHA256 is the hex SHA-256 of the device's token (the token itself is never stored), TS milliseconds since the epoch.
 */
record LogEntry(Kind kind, long user, int device, byte[] tokenHash, long ts) {
    private static final int HASH_BYTES = 32;

    enum Kind {
        CREATE("create"),
        LINK("link"),
        TOKEN("token"),
        REMOVE("remove"),
        LEGACY(null);

        private final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    static LogEntry create(long user, int device, byte[] tokenHash, long ts) {
        return new LogEntry(Kind.CREATE, user, device, tokenHash, ts);
    }

    static LogEntry link(long user, int device, byte[] tokenHash, long ts) {
        return new LogEntry(Kind.LINK, user, device, tokenHash, ts);
    }

    static LogEntry token(long user, int device, byte[] tokenHash) {
        return new LogEntry(Kind.TOKEN, user, device, tokenHash, 0);
    }

    static LogEntry remove(long user, int device, long ts) {
        return new LogEntry(Kind.REMOVE, user, device, null, ts);
    }

    /** The line, newline included, in US-ASCII. */
    byte[] line() {
        StringBuilder line = new StringBuilder(96);
        if (kind.word != null) {
            line.append(kind.word).append(' ');
        }
        line.append(user).append(' ').append(device);
        if (tokenHash != null) {
            line.append(' ').append(HexFormat.of().formatHex(tokenHash));
        }
        if (kind == Kind.CREATE || kind == Kind.LINK || kind == Kind.REMOVE) {
            line.append(' ').append(ts);
        }
        return line.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads one line (without its newline).
     *
     * @throws IllegalArgumentException for anything but a whole, well-formed line with ids in range
     */
    static LogEntry parse(String line) {
        String[] parts = line.split(" ", -1);
        Kind kind = kindOf(parts[0]);
        int at = kind == Kind.LEGACY ? 0 : 1;
        int fields = kind == Kind.CREATE || kind == Kind.LINK ? 4 : 3;
        if (parts.length != at + fields) {
            throw new IllegalArgumentException("expected " + fields + " fields");
        }
        long user = Long.parseLong(parts[at]);
        int device = Integer.parseInt(parts[at + 1]);
        if (!AccountStore.validIds(user, device)) {
            throw new IllegalArgumentException("ids out of range");
        }
        byte[] hash = null;
        long ts = 0;
        if (kind == Kind.REMOVE) {
            ts = Long.parseLong(parts[at + 2]);
        } else {
            hash = HexFormat.of().parseHex(parts[at + 2]);
            if (hash.length != HASH_BYTES) {
                throw new IllegalArgumentException("not a SHA-256");
            }
            if (fields == 4) {
                ts = Long.parseLong(parts[at + 3]);
            }
        }
        if (ts < 0) {
            throw new IllegalArgumentException("negative time");
        }
        return new LogEntry(kind, user, device, hash, ts);
    }

    private static Kind kindOf(String first) {
        for (Kind kind : Kind.values()) {
            if (first.equals(kind.word)) {
                return kind;
            }
        }
        if (!first.isEmpty() && Character.isDigit(first.charAt(0))) {
            return Kind.LEGACY;
        }
        throw new IllegalArgumentException("unknown entry '" + first + "'");
    }
}
