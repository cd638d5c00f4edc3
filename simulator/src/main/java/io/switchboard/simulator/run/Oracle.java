package io.switchboard.simulator.run;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.agrona.collections.Long2LongHashMap;

/**
 * Checks every message end to end. It knows every message the workload sent (by a global index carried in the
 * body), and counts: sends the server acknowledged; first deliveries; deliveries of a message already delivered
 * (duplicates at the transport, which the client then drops: at-least-once); messages from one sender reaching a
 * recipient out of send order; receipts that are wrong, repeated or missing; and, after the drain, acknowledged
 * messages never delivered (lost). Single-threaded: the client I/O thread.
 *
 * <p>Memory is per message, never per user: a message's id is its global index + 1 (ids only have to increase per
 * sending device, and a global counter does), so an ack or receipt finds its message without a map, and the order
 * check keeps one entry per (recipient, sender, conversation) that actually exchanged a message.
 *
 * <p>A group message is one index too, owed to every member but its sender: {@link GroupDeliveries} keeps a bit per
 * member. Its {@code DELIVERED} state means every member has it, which the aggregated {@code delivered} receipt must
 * not precede; {@code READ_EXPECTED} means every member sent {@code read}.
 */
final class Oracle {
    private static final byte ACKED = 1;
    private static final byte DELIVERED = 2;
    private static final byte DELIVERED_RECEIPT = 4;
    private static final byte READ_EXPECTED = 8;
    private static final byte READ_RECEIPT = 16;
    private static final byte REJECTED = 32;
    /** A group message: its recipient slot holds its {@link GroupDeliveries} slot. */
    private static final byte GROUP = (byte) 0x80;

    private int[] senders = new int[1024];
    private int[] recipients = new int[1024];
    private byte[] states = new byte[1024];
    private int sent;
    /** (conversation, recipient, sender) → highest id delivered, for the order check; see {@link #orderKey}. */
    private final Long2LongHashMap lastIdDelivered = new Long2LongHashMap(0);

    private final GroupDeliveries groups;

    private long acked;
    private long delivered;
    private long duplicatesAtTransport;
    private long reordered;
    private long receiptErrors;
    private long sendErrors;

    Oracle(GroupPlan plan) {
        groups = new GroupDeliveries(plan);
    }

    /** The id a message carries: its global index + 1. */
    static long idOf(int index) {
        return index + 1L;
    }

    /** Registers a send and returns its global index, carried in its body; it must carry {@link #idOf} as id. */
    int sent(int sender, int recipient) {
        return register(sender, recipient, (byte) 0);
    }

    /** Registers a send to a group, like {@link #sent}. */
    int sentToGroup(int sender, int group) {
        return register(sender, groups.add(group), GROUP);
    }

    private int register(int sender, int recipient, byte kind) {
        if (sent == states.length) {
            int capacity = sent * 2;
            senders = Arrays.copyOf(senders, capacity);
            recipients = Arrays.copyOf(recipients, capacity);
            states = Arrays.copyOf(states, capacity);
        }
        int index = sent++;
        senders[index] = sender;
        recipients[index] = recipient;
        states[index] = kind;
        return index;
    }

    /**
     * Order holds per sender per conversation: users are below 2^20 (a million), so the key packs the conversation
     * (0 for one-to-one, group + 1) above 40 bits of recipient and sender.
     */
    private static long orderKey(int conversation, int recipient, int sender) {
        return ((long) conversation << 40) | ((long) recipient << 20) | sender;
    }

    boolean isGroup(int index) {
        return (states[index] & GROUP) != 0;
    }

    /** The group a group message went to. */
    int groupOf(int index) {
        return groups.group(recipients[index]);
    }

    /** The message's global index, or -1 when that sender never sent that id. */
    int indexOf(int sender, long id) {
        long index = id - 1;
        return index >= 0 && index < sent && senders[(int) index] == sender ? (int) index : -1;
    }

    /** Whether {@code index} names a message this oracle registered. */
    boolean known(int index) {
        return index >= 0 && index < sent;
    }

    void acked(int index) {
        if ((states[index] & ACKED) == 0) {
            states[index] |= ACKED;
            acked++;
        }
    }

    void rejected(int index) {
        states[index] |= REJECTED;
        sendErrors++;
    }

    /**
     * A {@code msg} reached {@code recipient}; returns true for a first delivery (which the application sees) and
     * false for a duplicate or a message that was never sent to this recipient (counted as a receipt error).
     */
    boolean delivered(int index, int recipient, int fromSender, long id) {
        if (!known(index) || senders[index] != fromSender || idOf(index) != id) {
            receiptErrors++;
            return false;
        }
        int conversation;
        if (isGroup(index)) {
            int slot = recipients[index];
            int outcome = groups.deliver(slot, recipient, fromSender);
            if (outcome != GroupDeliveries.DELIVERED) {
                countRefused(outcome == GroupDeliveries.DUPLICATE);
                return false;
            }
            if (groups.pendingDeliveries(slot) == 0) {
                states[index] |= DELIVERED;
            }
            conversation = groups.group(slot) + 1;
        } else {
            if (recipients[index] != recipient || (states[index] & DELIVERED) != 0) {
                countRefused(recipients[index] == recipient);
                return false;
            }
            states[index] |= DELIVERED;
            conversation = 0;
        }
        delivered++;
        long order = orderKey(conversation, recipient, fromSender);
        if (id < lastIdDelivered.get(order)) {
            reordered++;
        } else {
            lastIdDelivered.put(order, id);
        }
        return true;
    }

    /** A delivery the application does not see: a duplicate, or a message never sent to that recipient. */
    private void countRefused(boolean duplicate) {
        if (duplicate) {
            duplicatesAtTransport++;
        } else {
            receiptErrors++;
        }
    }

    /**
     * A recipient sent {@code read} for this message: its sender is owed a read receipt, for a group message once
     * every member has read it.
     */
    void readSent(int index) {
        if (!isGroup(index) || groups.read(recipients[index])) {
            states[index] |= READ_EXPECTED;
        }
    }

    int senderOf(int index) {
        return senders[index];
    }

    /** The recipient of a one-to-one message. */
    int recipientOf(int index) {
        return recipients[index];
    }

    /**
     * A delivered receipt reached the sender, naming a group ({@code toGroup}) or a user: right only once, only after
     * every device (of every member) acknowledged, and only naming what the message went to.
     */
    void deliveredReceipt(int index, boolean toGroup) {
        if (index < 0
                || isGroup(index) != toGroup
                || (states[index] & DELIVERED) == 0
                || (states[index] & DELIVERED_RECEIPT) != 0) {
            receiptErrors++;
            return;
        }
        states[index] |= DELIVERED_RECEIPT;
    }

    /** A read receipt reached the sender: right only once, only for a message every recipient read. */
    void readReceipt(int index, boolean toGroup) {
        if (index < 0
                || isGroup(index) != toGroup
                || (states[index] & READ_EXPECTED) == 0
                || (states[index] & READ_RECEIPT) != 0) {
            receiptErrors++;
            return;
        }
        states[index] |= READ_RECEIPT;
    }

    /**
     * What the live progress line shows: messages sent and deliveries so far, and the errors already certain (refused
     * sends, wrong or repeated receipts, reordering). A message or receipt still on its way is not an error yet, so
     * missing ones are left to the final counts.
     */
    Progress progress() {
        return new Progress(sent, delivered, sendErrors + receiptErrors + reordered);
    }

    record Progress(long sent, long delivered, long errors) {}

    /** The final counts: call after the drain. Missing receipts of delivered messages count as receipt errors. */
    OracleCounts counts() {
        long lost = 0;
        long missingReceipts = 0;
        long neverAcked = 0;
        for (int i = 0; i < sent; i++) {
            byte state = states[i];
            if ((state & ACKED) == 0 && (state & REJECTED) == 0) {
                neverAcked++;
            }
            if ((state & ACKED) != 0 && (state & DELIVERED) == 0) {
                lost += (state & GROUP) != 0 ? groups.pendingDeliveries(recipients[i]) : 1;
            }
            if ((state & DELIVERED) != 0 && (state & DELIVERED_RECEIPT) == 0) {
                missingReceipts++;
            }
            if ((state & READ_EXPECTED) != 0 && (state & READ_RECEIPT) == 0) {
                missingReceipts++;
            }
        }
        return new OracleCounts(
                sent,
                acked,
                delivered,
                lost,
                duplicatesAtTransport,
                0,
                reordered,
                receiptErrors + missingReceipts,
                sendErrors,
                neverAcked);
    }

    /**
     * Reports every user a message still waits on: the recipient of a message not yet delivered, the sender of one
     * not yet acknowledged or missing a receipt. With churn, the drain brings these users online so that their
     * queued messages and receipts can arrive.
     */
    void forEachWaitingUser(IntConsumer user) {
        for (int i = 0; i < sent; i++) {
            byte state = states[i];
            if ((state & REJECTED) != 0) {
                continue;
            }
            if ((state & DELIVERED) == 0) {
                if ((state & GROUP) != 0) {
                    groups.forEachUndelivered(recipients[i], senders[i], user);
                } else {
                    user.accept(recipients[i]);
                }
            }
            if ((state & ACKED) == 0
                    || ((state & DELIVERED) != 0 && (state & DELIVERED_RECEIPT) == 0)
                    || ((state & READ_EXPECTED) != 0 && (state & READ_RECEIPT) == 0)) {
                user.accept(senders[i]);
            }
        }
    }

    /** True once every acknowledged message is delivered and every due receipt has arrived. */
    boolean settled() {
        OracleCounts counts = counts();
        return counts.lost() == 0 && counts.receiptErrors() == 0 && acked + sendErrors == sent;
    }

    /**
     * The oracle's verdict.
     *
     * @param duplicatesToApp messages the application saw twice: the client de-duplicates by sender and id, so any
     *     non-zero value here is a client bug the oracle caught
     */
    record OracleCounts(
            long sent,
            long acked,
            long delivered,
            long lost,
            long duplicatesAtTransport,
            long duplicatesToApp,
            long reordered,
            long receiptErrors,
            long sendErrors,
            long neverAcked) {}
}
