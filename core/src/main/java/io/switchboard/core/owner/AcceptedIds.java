package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;

/**
 * Which ids each sending device ({@link io.switchboard.core.message.SenderKey}) had accepted at this owner, for
 * de-duplication: the highest, and a bit for each of the {@link #WINDOW} ids below it. A repeat is told apart from an
 * id never accepted (a send that was refused and is sent again, or sends that crossed) within the window; below it
 * the server cannot tell a late repeat from a client whose counter went back, so it refuses rather than acknowledge a
 * message it would not deliver.
 *
 * <p>Owner thread only. A sender costs one {@code long[5]}, allocated at its first accepted id here.
 */
final class AcceptedIds {
    /** How many ids below the highest are remembered. */
    static final int WINDOW = 256;

    /** A send whose id this owner never accepted from its device (within the window): accept it. */
    static final int NEW = 0;
    /** An id already accepted from the device: acknowledge it again, do not deliver it twice. */
    static final int REPEAT = 1;
    /** Below the window: neither known to be a repeat nor known to be new. */
    static final int TOO_OLD = 2;

    private static final int HIGHEST = 0;
    private static final int WORDS = WINDOW / Long.SIZE;

    /** Per sender: [0] the highest accepted id; then bit k of the window is set when id (highest - 1 - k) was. */
    private final Long2ObjectHashMap<long[]> bySender = new Long2ObjectHashMap<>();

    private final Outbound out;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;

    AcceptedIds(Outbound out, EpochClock clock, CounterSet<ShardCounter> counters) {
        this.out = out;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * True for an id this owner never accepted from the sender; otherwise answers the send itself: a repeat is
     * acknowledged again (and not delivered twice), an id below the window is refused with {@code bad-frame}.
     */
    boolean admit(long connection, long sender, long id) {
        int verdict = check(sender, id);
        if (verdict == NEW) {
            return true;
        }
        if (verdict == REPEAT) {
            out.ack(connection, id, clock.time());
            counters.increment(ShardCounter.MESSAGES_DUPLICATE);
        } else {
            out.error(connection, ErrorCode.BAD_FRAME, id, tooOld(sender, id), 0, 0);
            counters.increment(ShardCounter.MESSAGES_REJECTED);
        }
        return false;
    }

    private String tooOld(long sender, long id) {
        return "id " + id + " is more than " + WINDOW + " below the highest id accepted from this device ("
                + highest(sender) + "): it cannot be told from a repeat; ids must increase, so send it with a new id"
                + " above " + highest(sender);
    }

    /** {@link #NEW}, {@link #REPEAT} or {@link #TOO_OLD}. */
    int check(long sender, long id) {
        long[] ids = bySender.get(sender);
        if (ids == null || id > ids[HIGHEST]) {
            return NEW;
        }
        long below = ids[HIGHEST] - id;
        if (below == 0) {
            return REPEAT;
        }
        if (below > WINDOW) {
            return TOO_OLD;
        }
        return isSet(ids, (int) below - 1) ? REPEAT : NEW;
    }

    /** The highest id accepted from the sender here, 0 for none. */
    long highest(long sender) {
        long[] ids = bySender.get(sender);
        return ids == null ? 0 : ids[HIGHEST];
    }

    /** Records {@code id} as accepted; in any order (a replay follows the journal's), one below the window is moot. */
    void accept(long sender, long id) {
        long[] ids = bySender.get(sender);
        if (ids == null) {
            ids = new long[1 + WORDS];
            ids[HIGHEST] = id;
            bySender.put(sender, ids);
            return;
        }
        long highest = ids[HIGHEST];
        if (id > highest) {
            shiftUp(ids, id - highest);
            ids[HIGHEST] = id;
        } else if (id < highest && highest - id <= WINDOW) {
            set(ids, (int) (highest - id) - 1);
        }
    }

    /** The window moves up by {@code by} ids: every bit moves {@code by} places, and the old highest gets its bit. */
    private static void shiftUp(long[] ids, long by) {
        if (by > WINDOW) {
            Arrays.fill(ids, 1, ids.length, 0);
            return;
        }
        int shift = (int) by;
        int words = shift / Long.SIZE;
        int bits = shift % Long.SIZE;
        for (int word = WORDS - 1; word >= 0; word--) {
            int from = word - words;
            long moved = from >= 0 ? ids[1 + from] << bits : 0;
            if (bits != 0 && from - 1 >= 0) {
                moved |= ids[from] >>> (Long.SIZE - bits);
            }
            ids[1 + word] = moved;
        }
        set(ids, shift - 1);
    }

    private static boolean isSet(long[] ids, int bit) {
        return (ids[1 + bit / Long.SIZE] & (1L << (bit % Long.SIZE))) != 0;
    }

    private static void set(long[] ids, int bit) {
        ids[1 + bit / Long.SIZE] |= 1L << (bit % Long.SIZE);
    }
}
