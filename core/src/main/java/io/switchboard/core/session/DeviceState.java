package io.switchboard.core.session;

import java.util.ArrayDeque;

/** One device as its owner thread sees it: its live connection, its queue and how far delivery has got. */
final class DeviceState {
    /** The connection of the current session, or {@link #OFFLINE}. */
    long connection = OFFLINE;

    /** The next seq to send on the current session: seqs below it were sent and await {@code recv}. */
    long cursor;

    final DeviceQueue queue;
    PendingReceipts receipts;
    /** Group receipts waiting for this (sending) device to return, oldest first; bounded like {@link #receipts}. */
    ArrayDeque<GroupReceipt> groupReceipts;

    static final long OFFLINE = 0;

    DeviceState(DeviceQueue queue) {
        this.queue = queue;
        this.cursor = queue.headSeq();
    }

    boolean online() {
        return connection != OFFLINE;
    }
}
