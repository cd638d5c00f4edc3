package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import org.agrona.concurrent.EpochClock;

/**
 * Device sessions: one per device at a time, a newer one replacing the older, and none for a device its account no
 * longer has; opening one delivers what waits for the device, and the user's first session and last close are presence
 * changes. Owner thread only.
 */
final class Sessions {
    private final DeviceStates devices;
    private final DeviceDirectory directory;
    private final Delivery delivery;
    private final Receipts receipts;
    private final Presence presence;
    private final HeldInvites invites;
    private final Outbound out;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final Frame frame = new Frame();

    Sessions(
            OwnerWiring wiring,
            DeviceStates devices,
            Delivery delivery,
            Receipts receipts,
            Presence presence,
            HeldInvites invites) {
        this.devices = devices;
        this.directory = wiring.directory();
        this.delivery = delivery;
        this.receipts = receipts;
        this.presence = presence;
        this.invites = invites;
        this.out = wiring.out();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
    }

    /**
     * A device said hello on {@code connection}: answer {@code welcome}, replace any older session, then redeliver and
     * send the receipts it does not have and the group invites waiting for the user. Welcome comes from here, not from
     * the connection's thread, so that a client holding it is online for everything sent to it afterwards (events,
     * presence and typing are not queued).
     */
    void open(long user, int device, long connection, boolean receiptAcks) {
        if ((directory.deviceMask(user) & (1L << device)) == 0) {
            // Removed from its account after its hello's token was checked: its removal may have come first.
            out.revoked(connection);
            return;
        }
        out.frame(
                connection,
                frame.reset(FrameType.WELCOME)
                        .user(user)
                        .device(device)
                        .ts(clock.time())
                        .receiptAcks(receiptAcks));
        boolean wasOnline = devices.online(user);
        DeviceState state = devices.device(user, device);
        if (state.online() && state.connection != connection) {
            out.replaced(state.connection);
            counters.increment(ShardCounter.SESSIONS_REPLACED);
        }
        counters.increment(ShardCounter.SESSIONS_OPENED);
        delivery.expire(user, device, state);
        state.connection = connection;
        state.receiptAcks = receiptAcks;
        state.cursor = state.queue.headSeq();
        state.pushed = false;
        delivery.pump(user, state);
        receipts.opened(user, device, state);
        invites.opened(user, connection);
        if (!wasOnline) {
            presence.online(user);
        }
    }

    /** The device was removed from its account: its session, if it has one, gets {@code auth} and is closed. */
    void revoke(long user, int device, DeviceState state) {
        if (state.online()) {
            long connection = state.connection;
            out.revoked(connection);
            close(user, device, connection);
        }
    }

    /** The connection closed. A close of an already replaced connection changes nothing. */
    void close(long user, int device, long connection) {
        DeviceState state = devices.device(user, device);
        if (state.connection == connection) {
            state.connection = DeviceState.OFFLINE;
            receipts.closed(user, device, state);
            if (state.queue.headSeq() < state.queue.nextSeq()) {
                // Messages this session took but never acknowledged now wait for the next one, which on a phone only
                // a push brings: without one they would wait until a new message happened to push the device.
                delivery.pump(user, state);
            }
            if (!devices.online(user)) {
                presence.offline(user, clock.time());
            }
        }
    }
}
