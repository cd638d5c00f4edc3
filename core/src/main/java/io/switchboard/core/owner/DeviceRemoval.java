package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;

/**
 * Devices removed from their accounts (protocol.md, Accounts and devices). The account store changes first: the
 * device's token stops verifying and the device leaves its user's device mask, so no new session, one-to-one message or
 * group entry reaches it, and senders get {@code devices} errors naming it under {@code extra}. Then the owner of the
 * user's state is told, and clears what it holds: the session gets {@code auth} and is closed, the messages queued for
 * the device and the receipts held for it are dropped, journaled so that they stay dropped after a restart. At start,
 * once the journals are replayed, the same goes for every device the accounts no longer have, in case a crash came
 * between the account's change and the owner's. Owner thread only.
 */
final class DeviceRemoval {
    private final DeviceStates devices;
    private final DeviceDirectory directory;
    private final Sessions sessions;
    private final Delivery delivery;
    private final Receipts receipts;
    private final CounterSet<ShardCounter> counters;

    DeviceRemoval(OwnerWiring wiring, DeviceStates devices, Sessions sessions, Delivery delivery, Receipts receipts) {
        this.devices = devices;
        this.directory = wiring.directory();
        this.sessions = sessions;
        this.delivery = delivery;
        this.receipts = receipts;
        this.counters = wiring.counters();
    }

    /** The device was removed from its account. */
    void remove(long user, int device) {
        counters.increment(ShardCounter.DEVICES_REMOVED);
        DeviceState state = devices.find(user, device);
        if (state == null) {
            return;
        }
        // Receipts first: the session's close would otherwise journal the unacknowledged ones, only to drop them.
        receipts.dropHeld(user, device, state);
        sessions.revoke(user, device, state);
        delivery.dropDevice(user, device, state);
    }

    /** After the replay: drops what is held for devices the accounts no longer have. */
    void dropUnregistered() {
        devices.forEach((user, device, state) -> {
            if ((directory.deviceMask(user) & (1L << device)) == 0) {
                receipts.dropHeld(user, device, state);
                delivery.dropReplayed(user, device, state);
            }
        });
    }
}
