package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import java.util.function.LongPredicate;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

/**
 * Presence as one owner keeps it for its users: the connections subscribed to each user, and when each user's last
 * device went offline. A subscriber hears at once and then on every change (first device online, last one offline).
 * Not thread-safe: the owner alone calls it.
 */
final class Presence {
    private static final String UNKNOWN_USER = "no such user";

    private final DeviceDirectory directory;
    private final Outbound out;
    private final Journal journal;
    private final CounterSet<ShardCounter> counters;
    private final LongPredicate online;
    private final Long2ObjectHashMap<LongHashSet> subscribers = new Long2ObjectHashMap<>();
    /** When each user's last device went offline (ms since the epoch); absent while online or never seen. */
    private final Long2LongHashMap lastSeen = new Long2LongHashMap(0);

    private final Frame frame = new Frame();

    /** @param online whether a user held here has a device online */
    Presence(OwnerWiring wiring, LongPredicate online) {
        this.directory = wiring.directory();
        this.out = wiring.out();
        this.journal = wiring.journal();
        this.counters = wiring.counters();
        this.online = online;
    }

    /** A connection subscribes to the presence of {@code user}: answered at once, then on every change. */
    void subscribe(long user, long connection) {
        if (directory.deviceMask(user) == 0) {
            out.error(connection, ErrorCode.UNKNOWN_RECIPIENT, 0, UNKNOWN_USER, 0, 0);
            return;
        }
        subscribers.computeIfAbsent(user, key -> new LongHashSet()).add(connection);
        out.frame(connection, presence(user));
        counters.increment(ShardCounter.PRESENCE_UPDATES);
    }

    void unsubscribe(long user, long connection) {
        LongHashSet connections = subscribers.get(user);
        if (connections != null && connections.remove(connection) && connections.isEmpty()) {
            subscribers.remove(user);
        }
    }

    /** The user's first device came online. */
    void online(long user) {
        lastSeen.remove(user);
        changed(user);
    }

    /** The user's last device went offline at {@code ts}: journaled, so last seen survives a restart. */
    void offline(long user, long ts) {
        lastSeen.put(user, ts);
        journal.lastSeen(user, ts);
        changed(user);
    }

    /** At start: the user was last seen at {@code ts}. */
    void restore(long user, long ts) {
        lastSeen.put(user, ts);
    }

    private void changed(long user) {
        LongHashSet connections = subscribers.get(user);
        if (connections == null) {
            return;
        }
        presence(user);
        for (LongHashSet.LongIterator it = connections.iterator(); it.hasNext(); ) {
            out.frame(it.nextValue(), frame);
        }
        counters.add(ShardCounter.PRESENCE_UPDATES, connections.size());
    }

    private Frame presence(long user) {
        frame.reset(FrameType.PRESENCE).user(user).online(online.test(user));
        long seen = lastSeen.get(user);
        if (seen != 0) {
            frame.lastSeen(seen);
        }
        return frame;
    }
}
