package io.switchboard.simulator.run;

import java.util.Arrays;

/**
 * The ids of the virtual clients' sends, numbered per sending device as a real client numbers its own: 1, 2, 3, …, one
 * counter per device for the workload's messages and the client's own sends ({@link SignalEnvelopes}' greetings and
 * sender keys) alike, each taken when the send goes on the wire, so that a device's ids increase in the order its
 * sends leave it. Dense ids are what the server's de-duplication expects (protocol-notes, De-duplication: it keeps the
 * 256 ids below a device's highest): a device sends again, after a close, what was never acknowledged, and those ids
 * are its last few, not hundreds of thousands below its highest as ids from one counter for all devices would be.
 *
 * <p>Maps both ways without a map: a message's global index to its id (an {@code int} per message), and a device's id
 * to the index of the message it carried, or to a mark for the client's own send (an {@code int} per id). A device's
 * first ids, its share of the messages expected, are in one table of a row per device, so that a lookup reads one
 * place, not a device's own array and then its place in it: an ack and a receipt for every message look up its id,
 * long after the send, when both were out of the cache (117 of the load generator's 479 samples at 500,000 msgs/s on
 * direct, results/reference/20261207-unread-chunks/chunks-16k-profiled). In six profiles that took about a quarter
 * off: 21.9-26.2 samples per million messages delivered against 23.4-40.5; the place itself, read milliseconds after
 * the send wrote it, still misses (results/reference/20261207-send-ids). A device that sends more has the rest in an
 * array of its own, grown by doubling. A message sent again keeps its id. Single-threaded: the client I/O thread.
 */
final class SendIds {
    /** {@link #entry}: the id carried one of the client's own sends, not a workload message. */
    private static final int OWN = -1;

    /** Ids each device's row holds: its share of the messages expected. */
    private final int row;
    /** Per device: the last id it took (0: none yet). */
    private int[] lastId;
    /** At {@code device * row + id - 1}: the index + 1 of the message sent with the id, or {@link #OWN}. */
    private int[] rows;
    /** Per device: by {@code id - 1 - row}, as {@link #rows}, for the ids past its row; null until it needs one. */
    private int[][] beyond;
    /** By global index: the id the message went under, 0 while it has not gone on the wire. */
    private int[] idByIndex;

    /**
     * Ids for {@code expected} messages of {@code devices} devices, sent at random, before a device needs more than its
     * row: each device's share and four times its spread (the share's square root), so that few of thousands of
     * devices outgrow theirs.
     */
    SendIds(int expected, int devices) {
        idByIndex = new int[expected];
        double share = expected / (double) Math.max(1, devices);
        int capacity = Math.max(1, devices);
        row = (int) Math.min(Math.max(8, share + 4 * Math.sqrt(share) + 1), Integer.MAX_VALUE / 2 / capacity);
        lastId = new int[capacity];
        rows = new int[capacity * row];
        beyond = new int[capacity][];
    }

    /** The id message {@code index} of {@code device} goes under: the one it went under before, else the next. */
    long workload(int device, int index) {
        if (index >= idByIndex.length) {
            idByIndex = Arrays.copyOf(idByIndex, Math.max(index + 1, idByIndex.length * 2));
        }
        if (idByIndex[index] == 0) {
            idByIndex[index] = take(device, index + 1);
        }
        return idByIndex[index];
    }

    /** The next id of {@code device}, for one of its client's own sends. */
    long own(int device) {
        return take(device, OWN);
    }

    private int take(int device, int entry) {
        if (device >= lastId.length) {
            int capacity = Math.max(device + 1, lastId.length * 2);
            lastId = Arrays.copyOf(lastId, capacity);
            rows = Arrays.copyOf(rows, Math.multiplyExact(capacity, row));
            beyond = Arrays.copyOf(beyond, capacity);
        }
        int id = ++lastId[device];
        if (id <= row) {
            rows[device * row + id - 1] = entry;
            return id;
        }
        int[] entries = beyond[device];
        int past = id - 1 - row;
        if (entries == null) {
            entries = new int[row];
            beyond[device] = entries;
        } else if (past >= entries.length) {
            entries = Arrays.copyOf(entries, entries.length * 2);
            beyond[device] = entries;
        }
        entries[past] = entry;
        return id;
    }

    /** The global index of the workload message {@code device} sent as {@code id}, or -1 when it sent none. */
    int indexOf(int device, long id) {
        int entry = entry(device, id);
        return entry > 0 ? entry - 1 : -1;
    }

    /** Whether {@code device} sent {@code id} for its client's own purposes (a greeting, a sender key). */
    boolean isOwn(int device, long id) {
        return entry(device, id) == OWN;
    }

    private int entry(int device, long id) {
        if (device < 0 || device >= lastId.length || id < 1 || id > lastId[device]) {
            return 0;
        }
        return id <= row ? rows[device * row + (int) id - 1] : beyond[device][(int) id - 1 - row];
    }

    /** The id message {@code index} went under, or 0 if it has not gone on the wire (or there is no such index). */
    long idOf(int index) {
        return index >= 0 && index < idByIndex.length ? idByIndex[index] : 0;
    }
}
