package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import java.util.Arrays;
import java.util.Objects;

/**
 * Deliveries of one-to-one messages in the order they came, 8 bytes each, for a check that compares each with the
 * earlier ones of the same pair of devices and can wait until the counts are read: it replays them then, in the same
 * order, so it decides exactly as it would have at each delivery.
 *
 * <p>Why wait: the clients' de-duplication ({@link ClientInbox}) and the oracle's order check ({@link DeliveryOrder})
 * each keep the highest id per (recipient device, sending device), 4 MB for every thousand devices squared ({@link
 * HighestIds}), and look it up at random for every delivery: a fifth of the load generator's thread on direct at
 * 500,000 msgs/s with 2,000 devices. Appended here in order, the deliveries cost a sequential write; the lookups are
 * paid after the drain, outside the measured window (80-92 ms to replay 6.8M deliveries through a 2,000-device table,
 * in a loop that overlaps the misses the deliveries could not). In four alternating pairs of runs at that rate the
 * load generator's thread took 1.09-1.54 µs a message against 1.20-1.74, and 0.255-0.270 of the process's CPU
 * against 0.291-0.320 (results/reference/20261207-delivery-log).
 *
 * <p>Only for a run whose tables are arrays ({@link HighestIds#dense}): one conversation (no groups) and at most 4,096
 * devices, so a device's slot takes 12 bits, and ids fit an int, as those arrays already require. Starts with room
 * for a delivery to every device of each message expected ({@link TableSizes}), at most {@link
 * TableSizes#MAX_EXPECTED} entries (128 MB), and doubles past that. Single-threaded: the client I/O thread.
 */
final class DeliveryLog {
    private static final int SLOT_BITS = 12;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    private static final int FLAG_SHIFT = 2 * SLOT_BITS;
    private static final int ID_SHIFT = FLAG_SHIFT + 1;
    /** The most slots an entry holds. */
    static final int MAX_DEVICES = 1 << SLOT_BITS;

    private long[] entries;
    private int size;
    private int replayed;

    DeliveryLog(int expected, DeviceSlots slots) {
        entries = new long[(int) Math.min((long) expected * slots.devicesPerUser(), TableSizes.MAX_EXPECTED)];
    }

    /** A delivery of {@code id} from {@code sender} to {@code recipient} (device slots), with a flag of the check's. */
    void add(int recipient, int sender, long id, boolean flag) {
        Objects.checkIndex(recipient, MAX_DEVICES);
        Objects.checkIndex(sender, MAX_DEVICES);
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, Math.max(16, size * 2));
        }
        // Ids are positive ints here (HighestIds' arrays hold them so): 31 bits above 25.
        entries[size++] = (Math.toIntExact(id) & 0xFFFF_FFFFL) << ID_SHIFT
                | (flag ? 1L : 0L) << FLAG_SHIFT
                | (long) recipient << SLOT_BITS
                | sender;
    }

    /** Hands {@code check} every delivery added since the last replay, in order. */
    void replay(Delivery check) {
        for (; replayed < size; replayed++) {
            long entry = entries[replayed];
            check.delivered(
                    (int) ((entry >>> SLOT_BITS) & SLOT_MASK),
                    (int) (entry & SLOT_MASK),
                    entry >>> ID_SHIFT,
                    ((entry >>> FLAG_SHIFT) & 1) != 0);
        }
    }

    /** One logged delivery, replayed. */
    @FunctionalInterface
    interface Delivery {
        void delivered(int recipient, int sender, long id, boolean flag);
    }
}
