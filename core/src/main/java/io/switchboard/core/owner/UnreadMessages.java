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
 * <p>Bounded: {@code maxUnreadPerUser} per user, past which the user's oldest is forgotten (its read receipt never
 * comes); {@code maxUnreadPerOwner} across the owner's users (its share of {@code router.maxUnreadBytes}), past which
 * the owner's oldest is forgotten alike ({@link UnreadArrivals}); and the retention, past which an unread message is
 * forgotten as a queued one expires. All are counted, in {@code unread.dropped}. A replay adds through the same bounds.
 * Once one was forgotten, the reads ignored are kept too ({@link IgnoredReads}): their receipts never come, and a load
 * generator asks for them at the end of a run so as not to take those for lost.
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
     * UnreadList} slot is 36 bytes (sender, id and time as longs, the group flag in the time's low bit, cycle int, two int places of its
     * index), and a growing list holds one to four slots per live entry (its arrays double when more than half full,
     * and compact before), more once reads thin it out (they shrink only when the list empties and goes); an {@link
     * UnreadArrivals} place is 24 bytes, up to two per entry. So 37 to 148 bytes of list and
     * up to 48 of ring. Measured (JDK 17, compressed oops; heap used after full GCs, before and after): an owner fed
     * 6,000,000 entries under a budget of 2,000,000, a fifth of them read as they came (soak.yaml's mix), held 145
     * bytes per entry spread over 10,000 users, 137 over 1,000 and 172 over 100,000, where each user's own list (its
     * object, its smallest arrays, its place in the map) weighs more. 160 covers an owner of that budget with up to
     * about 60,000 users.
     */
    static final int ENTRY_BYTES = 160;

    private final Long2ObjectHashMap<UnreadList> users = new Long2ObjectHashMap<>();
    private final UnreadArrivals arrivals;
    /** Asked by {@link UnreadArrivals} as it compacts; made once, so that no add allocates. */
    private final UnreadArrivals.Unread stillUnread = this::unread;

    private final int maxPerUser;
    private final int maxPerOwner;
    private final long retentionMs;
    private final Journal journal;
    private final ReceiptRouter receipts;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final long seed = ThreadLocalRandom.current().nextLong();
    /** Entries in all lists. */
    private int entries;
    /** Whether a bound or the retention made this owner forget an unread message: see {@link IgnoredReads}. */
    private boolean forgotAny;

    private final IgnoredReads ignored = new IgnoredReads();

    UnreadMessages(OwnerWiring wiring, OwnerRules rules) {
        this.maxPerUser = rules.maxUnreadPerUser();
        this.maxPerOwner = rules.maxUnreadPerOwner();
        this.arrivals = new UnreadArrivals(maxPerOwner);
        this.retentionMs = rules.retentionMs();
        this.journal = wiring.journal();
        this.receipts = wiring.receipts();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
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
     * message an UNREAD record brought back, {@link Delivery#recoveredUnread}), {@link #onUnread} looked. Not looking again
     * saves a probe of a list that, in an owner holding millions of entries, is out of the cache: a tenth of the
     * owner's time when every message stays unread. Past the user's bound the user's oldest goes, past the owner's
     * the owner's oldest.
     */
    private void add(long user, long sender, long id, long ts, int cycle, boolean group) {
        UnreadList list = users.get(user);
        if (list == null) {
            list = new UnreadList(seed);
            users.put(user, list);
        }
        assert list.find(sender, id) < 0 : "already unread";
        if (list.size() == maxPerUser) {
            forget(list, list.oldest());
            dropped();
        } else if (entries >= maxPerOwner) {
            forgetOldest();
        }
        list.add(sender, id, ts, cycle, group);
        arrivals.add(user, sender, id, stillUnread);
        entries++;
        counters.increment(ShardCounter.MESSAGES_UNREAD);
    }

    /** Forgets the owner's oldest unread entry, passing over the references of those read or forgotten since. */
    private void forgetOldest() {
        while (arrivals.size() > 0) {
            UnreadList list = users.get(arrivals.oldestUser());
            int slot = list == null ? -1 : slotOf(list, arrivals.oldestSender(), arrivals.oldestId());
            if (slot < 0) {
                arrivals.removeStale();
                continue;
            }
            // The forget counts this reference stale; taking it off then uncounts it.
            forget(list, slot);
            arrivals.removeStale();
            dropped();
            return;
        }
    }

    /**
     * The owner's oldest live reference is nearly always its user's oldest entry, since both keep the order entries
     * came in; looking there first spares a probe of the list's index. It is not when the ring let go of an older
     * reference of the user's, full of live ones ({@link UnreadArrivals#add}).
     */
    private static int slotOf(UnreadList list, long sender, long id) {
        if (list.size() > 0) {
            int oldest = list.oldest();
            if (list.id(oldest) == id && list.sender(oldest) == sender) {
                return oldest;
            }
        }
        return list.find(sender, id);
    }

    /** Whether the user's unread list holds the record's message (at the end of a replay: see Delivery). */
    boolean holds(long user, MessageRecord record) {
        return unread(user, SenderKey.of(record.senderUser(), record.senderDevice()), record.id());
    }

    private boolean unread(long user, long sender, long id) {
        UnreadList list = users.get(user);
        return list != null && list.find(sender, id) >= 0;
    }

    /**
     * The user read message {@code id} of the sending device: when it was delivered to the user and not yet read, the
     * read is journaled and the read receipt goes to the sender's owner; otherwise it is ignored (counted).
     */
    void read(long user, long senderUser, int senderDevice, long id) {
        UnreadList list = users.get(user);
        int slot = list == null ? -1 : list.find(SenderKey.of(senderUser, senderDevice), id);
        if (slot < 0) {
            counters.increment(ShardCounter.READS_IGNORED);
            if (forgotAny) {
                ignored.add(user, SenderKey.of(senderUser, senderDevice), id);
            }
            return;
        }
        boolean group = list.group(slot);
        int cycle = list.cycle(slot);
        remove(list, slot);
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
     * in the cycle being written, releasing the old one.
     */
    void housekeeping() {
        long oldest = clock.time() - retentionMs;
        int current = journal.cycle();
        users.entrySet().removeIfLong((user, list) -> {
            sweep(user, list, oldest, current);
            return list.size() == 0;
        });
    }

    private void sweep(long user, UnreadList list, long oldest, int current) {
        for (int slot = list.oldest(), end = list.end(); slot < end && list.size() > 0; slot++) {
            if (!list.live(slot)) {
                continue;
            }
            int cycle = list.cycle(slot);
            if (list.ts(slot) < oldest) {
                forget(list, slot);
                dropped();
            } else if (cycle != Journal.FAILED && cycle < current) {
                long sender = list.sender(slot);
                int rewritten = journal.unread(
                        user,
                        SenderKey.user(sender),
                        SenderKey.device(sender),
                        list.id(slot),
                        list.ts(slot),
                        list.group(slot));
                if (rewritten != Journal.FAILED) {
                    list.cycle(slot, rewritten);
                    journal.released(cycle);
                }
            }
        }
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
    private void forget(UnreadList list, int slot) {
        int cycle = list.cycle(slot);
        remove(list, slot);
        if (cycle != Journal.FAILED) {
            journal.released(cycle);
        }
    }

    /**
     * Takes an entry off its list. A list left empty stays until {@link #housekeeping}: a user who reads each message
     * as it comes would otherwise cost a new list per message.
     */
    private void remove(UnreadList list, int slot) {
        list.remove(slot);
        arrivals.staled();
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
        UnreadList list = users.get(user);
        int slot = list == null ? -1 : list.find(sender, id);
        if (slot >= 0) {
            // Rebuilt already from its message's records: the newer cycle holds it from now on.
            int older = list.cycle(slot);
            list.cycle(slot, cycle);
            if (older != Journal.FAILED) {
                journal.released(older);
            }
            return;
        }
        add(user, sender, id, ts, cycle, group);
    }

    /** Replay: the user read the message. */
    void onRead(long user, long senderUser, int senderDevice, long id) {
        UnreadList list = users.get(user);
        int slot = list == null ? -1 : list.find(SenderKey.of(senderUser, senderDevice), id);
        if (slot >= 0) {
            int cycle = list.cycle(slot);
            remove(list, slot);
            if (cycle != Journal.FAILED) {
                journal.released(cycle);
            }
        }
    }
}
