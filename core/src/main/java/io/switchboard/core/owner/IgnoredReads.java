package io.switchboard.core.owner;

import io.switchboard.core.message.SenderKey;

/**
 * The last reads an owner ignored after it had forgotten unread messages past its bounds ({@link UnreadMessages}):
 * such a read may be of a message it forgot, whose read receipt then never comes, by design. Kept entry by entry so
 * that a load generator can tell those missing receipts from lost ones at the end of a run ({@link
 * HeldVisitor#readIgnored}); past {@value #CAPACITY} the oldest go. A read ignored while the owner had forgotten
 * nothing is not kept: no bound explains it.
 *
 * <p>Three primitive arrays of {@value #CAPACITY} places (24 KB), made when the first read is kept. Owner thread only.
 */
final class IgnoredReads {
    static final int CAPACITY = 1024;

    private long[] users;
    private long[] senders;
    private long[] ids;
    /** Reads kept since the start: the last {@link #CAPACITY} are in the arrays, each at its number % CAPACITY. */
    private long kept;

    /** {@code sender}: the sending device's {@link SenderKey}. */
    void add(long user, long sender, long id) {
        if (users == null) {
            users = new long[CAPACITY];
            senders = new long[CAPACITY];
            ids = new long[CAPACITY];
        }
        int at = (int) (kept % CAPACITY);
        users[at] = user;
        senders[at] = sender;
        ids[at] = id;
        kept++;
    }

    /** Tells {@code visitor} the reads kept, oldest first. */
    void visit(HeldVisitor visitor) {
        for (long i = Math.max(0, kept - CAPACITY); i < kept; i++) {
            int at = (int) (i % CAPACITY);
            long sender = senders[at];
            visitor.readIgnored(users[at], SenderKey.user(sender), SenderKey.device(sender), ids[at]);
        }
    }
}
