package io.switchboard.core.accounts;

import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.push.PushPlatform;
import io.switchboard.core.push.PushRegistration;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One line of the account log: a change to one device of one account, as {@code accounts.log} ({@link io.switchboard.core.storage.LineLog}) has it.
 *
 * <pre>
 *  create USER DEVICE SHA256 TS   a new account whose primary device is DEVICE
 *  link USER DEVICE SHA256 TS     a companion device, linked with a code its primary obtained
 *  token USER DEVICE SHA256       the device's token rotated
 *  remove USER DEVICE TS          the primary removed this companion device
 *  groupadd USER SETTING          who may add the user to a group: everyone, contacts or nobody
 *  contacts USER U1,U2,..         the user's contact list as last uploaded, replacing the one before (may be empty)
 *  push USER DEVICE PLATFORM PT   the device registered push token PT of PLATFORM (apns, fcm, sim)
 *  unpush USER DEVICE             the device's push registration ended (by the device, or the platform refused it)
 *  USER DEVICE SHA256             written before linking existed: a device's new token, or a device new to its
 *                                 account (the account's first device is its primary)
 * </pre>
 *
 * SHA256 is the hex SHA-256 of the device's token (the token itself is never stored), TS milliseconds since the epoch.
 * The last two concern the account, not a device: their {@code device} is 0, and only they carry {@code groupAdd} or
 * {@code contacts} (sorted, distinct).
 */
record LogEntry(
        Kind kind,
        long user,
        int device,
        byte[] tokenHash,
        long ts,
        GroupAddPrivacy groupAdd,
        long[] contacts,
        PushRegistration push) {
    private static final int HASH_BYTES = 32;

    enum Kind {
        CREATE("create"),
        LINK("link"),
        TOKEN("token"),
        REMOVE("remove"),
        GROUP_ADD("groupadd"),
        CONTACTS("contacts"),
        PUSH("push"),
        UNPUSH("unpush"),
        LEGACY(null);

        private final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    static LogEntry create(long user, int device, byte[] tokenHash, long ts) {
        return device(Kind.CREATE, user, device, tokenHash, ts);
    }

    static LogEntry link(long user, int device, byte[] tokenHash, long ts) {
        return device(Kind.LINK, user, device, tokenHash, ts);
    }

    static LogEntry token(long user, int device, byte[] tokenHash) {
        return device(Kind.TOKEN, user, device, tokenHash, 0);
    }

    static LogEntry remove(long user, int device, long ts) {
        return device(Kind.REMOVE, user, device, null, ts);
    }

    static LogEntry groupAdd(long user, GroupAddPrivacy setting) {
        return new LogEntry(Kind.GROUP_ADD, user, 0, null, 0, setting, null, null);
    }

    /** {@code contacts} sorted and distinct. */
    static LogEntry contacts(long user, long[] contacts) {
        return new LogEntry(Kind.CONTACTS, user, 0, null, 0, null, contacts, null);
    }

    private static LogEntry device(Kind kind, long user, int device, byte[] tokenHash, long ts) {
        return new LogEntry(kind, user, device, tokenHash, ts, null, null, null);
    }

    static LogEntry push(long user, int device, PushRegistration push) {
        return new LogEntry(Kind.PUSH, user, device, null, 0, null, null, push);
    }

    static LogEntry unpush(long user, int device) {
        return device(Kind.UNPUSH, user, device, null, 0);
    }

    /** The line, newline included, in US-ASCII. */
    byte[] line() {
        if (kind == Kind.GROUP_ADD) {
            return (kind.word + ' ' + user + ' ' + groupAdd.wireName() + '\n').getBytes(StandardCharsets.US_ASCII);
        }
        if (kind == Kind.CONTACTS) {
            StringBuilder line = new StringBuilder(24 + contacts.length * 17)
                    .append(kind.word)
                    .append(' ')
                    .append(user)
                    .append(' ');
            for (int i = 0; i < contacts.length; i++) {
                line.append(i == 0 ? "" : ",").append(contacts[i]);
            }
            return line.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
        }
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
        if (push != null) {
            line.append(' ').append(push.platform().wireName()).append(' ').append(push.token());
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
        if (kind == Kind.GROUP_ADD || kind == Kind.CONTACTS) {
            return parseAccountWide(kind, parts);
        }
        int at = kind == Kind.LEGACY ? 0 : 1;
        int fields = switch (kind) {
            case CREATE, LINK, PUSH -> 4;
            case UNPUSH -> 2;
            default -> 3;
        };
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
        if (kind == Kind.PUSH) {
            return push(user, device, push(parts[at + 2], parts[at + 3]));
        }
        if (kind == Kind.UNPUSH) {
            return unpush(user, device);
        }
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
        return device(kind, user, device, hash, ts);
    }

    private static LogEntry parseAccountWide(Kind kind, String[] parts) {
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected 2 fields");
        }
        long user = Long.parseLong(parts[1]);
        if (!AccountStore.validIds(user, 1)) {
            throw new IllegalArgumentException("user out of range");
        }
        if (kind == Kind.GROUP_ADD) {
            GroupAddPrivacy setting = GroupAddPrivacy.fromWire(parts[2]);
            if (setting == null) {
                throw new IllegalArgumentException("unknown group-add setting '" + parts[2] + "'");
            }
            return groupAdd(user, setting);
        }
        long[] contacts = parts[2].isEmpty()
                ? new long[0]
                : Arrays.stream(parts[2].split(",", -1))
                        .mapToLong(Long::parseLong)
                        .sorted()
                        .distinct()
                        .toArray();
        if (contacts.length > 0 && (contacts[0] < 1 || contacts[contacts.length - 1] > ProtocolLimits.MAX_ID)) {
            throw new IllegalArgumentException("contact out of range");
        }
        return contacts(user, contacts);
    }

    private static PushRegistration push(String platformName, String token) {
        PushPlatform platform = PushPlatform.of(platformName);
        if (platform == null) {
            throw new IllegalArgumentException("unknown push platform");
        }
        return new PushRegistration(platform, token);
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
