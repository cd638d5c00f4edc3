package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.SenderKey;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;

/**
 * The messages this owner's users were delivered and have not read yet: a {@code read} counts only for one of these
 * (protocol.md, One-to-one, item 6), once; any other id is ignored, with no state, no journal record and no receipt,
 * so a client cannot make read receipts for messages it never received. A message counts as delivered to its user
 * when it is first written to (or acknowledged by) one of the user's devices; a user's own messages never count.
 *
 * <p>Kept in one ring for all the owner's users, in the order they came ({@link UnreadRing}), with a count per user.
 *
 * <p>Bounded: {@code maxUnreadPerUser} per user, past which the user's oldest is forgotten (its read receipt never
 * comes); {@code maxUnreadPerOwner} across the owner's users (its share of {@code router.maxUnreadBytes}), past which
 * the owner's oldest is forgotten alike; and the retention, past which an unread message is forgotten as a queued one
 * expires. All are counted, in {@code unread.dropped}. A replay adds through the same bounds. Once one was forgotten,
 * the reads ignored are kept too ({@link IgnoredReads}): their receipts never come, and a load generator asks for them
 * at the end of a run so as not to take those for lost.
 *
 * <p>Durable as its message is: an unread message holds the journal cycle of the record it came from (its ACCEPTED or
 * GROUP_QUEUED, which a replay rebuilds it from together with the first ACKNOWLEDGED of it), and a read is journaled,
 * so that a restart neither forgets what was delivered nor counts a read twice. Housekeeping writes an unread message
 * held in an older cycle again (UNREAD) in the cycle being written, so that unread messages do not keep old files.
 *
 * <p>Owner thread only.
 */
final class UnreadMessages {
    /**
     * Bytes one unread entry costs, for turning {@code router.maxUnreadBytes} into entries. From the arrays: an {@link
     * UnreadRing} place is 40 bytes, and 16 more of index once reads come; the ring grows to at most 1.25 to 2.5 places
     * an entry of the budget (a power of two), so 50 to 140 bytes; and each user with unread messages has a count, a
     * 32-byte object and its place in the map (about 20 bytes more). The 160 measured for the lists per user this ring
     * replaced (JDK 17, heap used after full GCs: 137-172 bytes an entry over 1,000 to 100,000 users) is kept: by these
     * sizes it covers the ring unless most users have only one or two unread messages each. Not measured yet.
     */
    static final int ENTRY_BYTES = 160;

    private final Long2ObjectHashMap<UserUnread> users = new Long2ObjectHashMap<>();
    private final UnreadRing ring;

    private final int maxPerUser;
    private final int maxPerOwner;
    private final long retentionMs;
    private final Journal journal;
    private final ReceiptRouter receipts;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    /** Entries live in the ring. */
    private int entries;
    /** Whether a bound or the retention made this owner forget an unread message: see {@link IgnoredReads}. */
    private boolean forgotAny;

    private final IgnoredReads ignored = new IgnoredReads();

    UnreadMessages(OwnerWiring wiring, OwnerRules rules) {
        this.maxPerUser = rules.maxUnreadPerUser();
        this.maxPerOwner = rules.maxUnreadPerOwner();
        this.ring = new UnreadRing(maxPerOwner, ThreadLocalRandom.current().nextLong());
        this.retentionMs = rules.retentionMs();
        this.journal = wiring.journal();
        this.receipts = wiring.receipts();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
    }

    /** One user's unread messages: how many, and from where in the ring to look for its oldest. */
    private static final class UserUnread {
        int count;
        /** No live entry of the user is below this position, when {@link #moves} is the ring's. */
        long scanFrom;

        int moves;
    }

    /**
     * A device of {@code user} was written (or acknowledged) the message: from now on the user may read it. Only the
     * first device of the user counts; the message's journal cycle is held once more for it.
     */
    void delivered(long user, MessageRecord record) {
        if (record.deliveredToUser() || record.senderUser() == user) {
            return;
        }
        record.deliveredToUser(true);
        int cycle = record.journaled() ? record.cycle() : Journal.FAILED;
        long sender = SenderKey.of(record.senderUser(), record.senderDevice());
        add(user, sender, record.id(), record.ts(), cycle, record.group() != null);
        if (cycle != Journal.FAILED) {
            journal.hold(cycle);
        }
    }

    /**
     * Turns {@code router.maxUnreadBytes} into each owner's entries: an even share of the bytes, at {@link
     * #ENTRY_BYTES} an entry. Users are spread over owners by hash, so each owner gets about its share of them.
     */
    static int entriesPerOwner(long maxUnreadBytes, int owners) {
        return (int) Math.max(1, Math.min(maxUnreadBytes / owners / ENTRY_BYTES, Integer.MAX_VALUE / 4));
    }

    /**
     * Adds a message the user does not have. Its callers know: {@link #delivered} comes once per message and user
     * (the record says so, and a sending device's ids are accepted once; a replay sets the flag of a record whose
     * message an UNREAD record brought back, {@link Delivery#recoveredUnread}), {@link #onUnread} looked. Past the
     * user's bound the user's oldest goes, past the owner's the owner's oldest.
     */
    private void add(long user, long sender, long id, long ts, int cycle, boolean group) {
        UserUnread unread = users.get(user);
        if (unread == null) {
            unread = new UserUnread();
            users.put(user, unread);
        }
        assert ring.find(user, sender, id) < 0 : "already unread";
        if (unread.count == maxPerUser) {
            forget(oldestOf(user, unread), unread);
            dropped();
        } else if (entries >= maxPerOwner) {
            long oldest = ring.head();
            forget(oldest, users.get(ring.user(oldest)));
            dropped();
        }
        ring.add(user, sender, id, ts, cycle, group, entries);
        unread.count++;
        entries++;
        counters.increment(ShardCounter.MESSAGES_UNREAD);
    }

    /**
     * The position of the user's oldest live entry, which it has: looked for from where the last look ended, so that
     * the looks for one user pass over each position once between two compactions of the ring.
     */
    private long oldestOf(long user, UserUnread unread) {
        long position = unread.moves == ring.moves() ? Math.max(unread.scanFrom, ring.head()) : ring.head();
        while (!ring.live(position) || ring.user(position) != user) {
            position++;
        }
        unread.scanFrom = position + 1;
        unread.moves = ring.moves();
        return position;
    }

    /** Whether the user's unread messages include the record's (at the end of a replay: see Delivery). */
    boolean holds(long user, MessageRecord record) {
        return ring.find(user, SenderKey.of(record.senderUser(), record.senderDevice()), record.id()) >= 0;
    }

    /**
     * The user read message {@code id} of the sending device: when it was delivered to the user and not yet read, the
     * read is journaled and the read receipt goes to the sender's owner; otherwise it is ignored (counted).
     */
    void read(long user, long senderUser, int senderDevice, long id) {
        long position = ring.find(user, SenderKey.of(senderUser, senderDevice), id);
        if (position < 0) {
            counters.increment(ShardCounter.READS_IGNORED);
            if (forgotAny) {
                ignored.add(user, SenderKey.of(senderUser, senderDevice), id);
            }
            return;
        }
        boolean group = ring.group(position);
        int cycle = ring.cycle(position);
        remove(position, users.get(user));
        if (cycle != Journal.FAILED) {
            journal.read(user, senderUser, senderDevice, id, cycle);
        }
        if (!group) {
            // A group message's read receipt is counted once every member read it (Receipts#completed).
            counters.increment(ShardCounter.RECEIPTS_READ);
        }
        receipts.route(senderUser, senderDevice, id, user, ReceiptKind.READ, clock.time(), group);
    }

    /**
     * Now and then: forgets unread messages past the retention, and writes those held in an older journal cycle again
     * in the cycle being written, releasing the old one; users left with none lose their count.
     */
    void housekeeping() {
        long oldest = clock.time() - retentionMs;
        int current = journal.cycle();
        for (long position = ring.head(); position < ring.tail(); position++) {
            if (!ring.live(position)) {
                continue;
            }
            int cycle = ring.cycle(position);
            if (ring.ts(position) < oldest) {
                forget(position, users.get(ring.user(position)));
                dropped();
            } else if (cycle != Journal.FAILED && cycle < current) {
                long sender = ring.sender(position);
                int rewritten = journal.unread(
                        ring.user(position),
                        SenderKey.user(sender),
                        SenderKey.device(sender),
                        ring.id(position),
                        ring.ts(position),
                        ring.group(position));
                if (rewritten != Journal.FAILED) {
                    ring.cycle(position, rewritten);
                    journal.released(cycle);
                }
            }
        }
        users.values().removeIf(unread -> unread.count == 0);
    }

    /** An unread message was forgotten (its entry goes by the caller): counted, and reads ignored from now on kept. */
    private void dropped() {
        counters.increment(ShardCounter.UNREAD_DROPPED);
        forgotAny = true;
    }

    /** Tells {@code visitor} the last reads ignored after a message was forgotten ({@link IgnoredReads}). */
    void visitIgnored(HeldVisitor visitor) {
        ignored.visit(visitor);
    }

    /** Forgets an entry without its read: its hold ends. */
    private void forget(long position, UserUnread unread) {
        int cycle = ring.cycle(position);
        remove(position, unread);
        if (cycle != Journal.FAILED) {
            journal.released(cycle);
        }
    }

    /**
     * Takes an entry off the ring. A user left with none keeps its count until {@link #housekeeping}: a user who reads
     * each message as it comes would otherwise cost a new one per message.
     */
    private void remove(long position, UserUnread unread) {
        ring.remove(position);
        unread.count--;
        entries--;
        counters.decrement(ShardCounter.MESSAGES_UNREAD);
    }

    /** Replay: an unread message written again in {@code cycle}, which the replay holds once for it. */
    void onUnread(long user, long senderUser, int senderDevice, long id, long ts, boolean group, int cycle) {
        if (ts < clock.time() - retentionMs) {
            journal.released(cycle);
            return;
        }
        long sender = SenderKey.of(senderUser, senderDevice);
        long position = ring.find(user, sender, id);
        if (position >= 0) {
            // Rebuilt already from its message's records: the newer cycle holds it from now on.
            int older = ring.cycle(position);
            ring.cycle(position, cycle);
            if (older != Journal.FAILED) {
                journal.released(older);
            }
            return;
        }
        add(user, sender, id, ts, cycle, group);
    }

    /** Replay: the user read the message. */
    void onRead(long user, long senderUser, int senderDevice, long id) {
        long position = ring.find(user, SenderKey.of(senderUser, senderDevice), id);
        if (position >= 0) {
            forget(position, users.get(user));
        }
    }
}
