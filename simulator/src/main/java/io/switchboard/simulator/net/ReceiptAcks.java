package io.switchboard.simulator.net;

import io.switchboard.core.protocol.Frame;

/**
 * The client's part of acknowledged receipts, for a population of devices on one thread: per device, the highest
 * receipt rseq it has taken, which persists across its sessions so that a receipt the server sends again is dropped,
 * and whether it owes the server a {@code receipt.ack}. Costs 9 bytes per device once {@link #enable}d; nothing
 * before. Not thread-safe.
 */
final class ReceiptAcks {
    /** The device took a receipt since its last {@code receipt.ack}. */
    private static final byte ACK_DUE = 1;
    /** The session's end is sent: nothing may follow it (the WebSocket handler refuses writes after a close). */
    private static final byte CLOSE_SENT = 2;

    private long[] highestRseq;
    private byte[] flags;
    private long sentAgain;

    void enable(int devices) {
        highestRseq = new long[devices];
        flags = new byte[devices];
    }

    /** Whether devices say hello asking for acknowledged receipts. */
    boolean enabled() {
        return highestRseq != null;
    }

    void sessionStarted(int slot) {
        if (flags != null) {
            flags[slot] = 0;
        }
    }

    void closeSent(int slot) {
        if (flags != null) {
            flags[slot] |= CLOSE_SENT;
        }
    }

    /**
     * Takes a frame that reached the device: false when it is a receipt the device took already, to be dropped. A
     * repeat is acknowledged too (the ack of the highest covers it), or the server would keep it.
     */
    boolean take(int slot, Frame frame) {
        if (frame.rseq() == 0 || highestRseq == null) {
            return true;
        }
        flags[slot] |= ACK_DUE;
        if (frame.rseq() <= highestRseq[slot]) {
            sentAgain++;
            return false;
        }
        highestRseq[slot] = frame.rseq();
        return true;
    }

    /** Whether the device owes a {@code receipt.ack} that it may still send. */
    boolean due(int slot) {
        return flags != null && flags[slot] == ACK_DUE;
    }

    /**
     * The rseq the device acknowledges now, clearing what it owes; 0 when it owes nothing, or when its session's end
     * is sent (the server then sends these receipts again on its next session, and they are dropped by rseq).
     */
    long acknowledge(int slot) {
        if (!due(slot)) {
            return 0;
        }
        flags[slot] = 0;
        return highestRseq[slot];
    }

    /** Receipts the server sent again because their first sending was not acknowledged. */
    long sentAgain() {
        return sentAgain;
    }
}
