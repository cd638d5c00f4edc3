package io.switchboard.simulator.run;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.simulator.net.DeviceSlots;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.agrona.collections.IntIntConsumer;

/**
 * Checks every message end to end, per device. It knows every message the workload sent (by a global index carried in
 * the body) and the device that sent it, and counts: sends the server acknowledged; first deliveries to each recipient
 * device; copies of a message a device already had, told apart by what they say about the server (see {@link
 * #delivered}): a redelivery on a new session of the device (at-least-once: expected) or a copy within one session
 * (a server fault); copies the client's own de-duplication let through to the application (a client fault, {@link
 * #duplicateShown}); messages from one sending device reaching a recipient device out of send order; receipts that
 * are wrong, repeated or missing; and, after the drain, deliveries owed to a device and never made (lost, one per
 * (message, device)). Devices are {@link DeviceSlots} slots. Single-threaded: the client I/O thread.
 *
 * <p>Memory is per message, never per user: a message's id is its sending device's own ({@link SendIds}: dense per
 * device, as the server's de-duplication expects), mapped to its global index by arrays, so an ack or receipt finds
 * its message without a map, and the order check ({@link DeliveryOrder}) keeps one entry per (recipient device,
 * sending device, conversation) that actually exchanged a message.
 *
 * <p>A one-to-one message is owed to every device of its recipient, a bit each in a byte per message; its {@code
 * DELIVERED} state means all of them have it, which its {@code delivered} receipt must not precede. A group message
 * is one index too, owed to every member device but the sending one, the sender's own other devices included:
 * {@link GroupDeliveries} keeps a bit per member device. Its {@code DELIVERED} state means every other member is done
 * (all its devices have it, or it read it), which the aggregated {@code delivered} receipt must not precede; {@code
 * READ_EXPECTED} means every other member sent {@code read}. A user reads a message once, from one of its devices.
 */
final class Oracle {
    /** {@link #delivered}: a first delivery to the first device of a user who reads it (not the sender's own). */
    static final int NEW_TO_READER = GroupDeliveries.NEW_TO_READER;
    /** {@link #delivered}: a first delivery to this device, which another device of its user already had. */
    static final int NEW_TO_DEVICE = GroupDeliveries.NEW_TO_DEVICE;
    /** {@link #delivered}: a message never sent to this device, or one its member went from before it arrived. */
    static final int REFUSED = 0;
    /** {@link #delivered}: a copy of a message this device already had. */
    static final int DUPLICATE = -1;

    private static final byte ACKED = 1;
    private static final byte DELIVERED = 2;
    private static final byte DELIVERED_RECEIPT = 4;
    private static final byte READ_EXPECTED = 8;
    private static final byte READ_RECEIPT = 16;
    private static final byte REJECTED = 32;
    /** Sent on a session the server closed before answering: no ack or error will come. */
    private static final byte UNANSWERED = 64;
    /** A group message: its recipient holds its {@link GroupDeliveries} slot. */
    private static final byte GROUP = (byte) 0x80;

    /** The sending device's slot. */
    private int[] senders;
    /** The recipient user's index, or a group message's {@link GroupDeliveries} slot. */
    private int[] recipients;

    private byte[] states;
    /** The recipient devices of a one-to-one message that got it: bit d − 1 for device d. */
    private byte[] devicesDelivered;

    private int sent;
    /** Whether each device got a sender's messages in the order they were sent. */
    private final DeliveryOrder order;

    private final DeviceSlots slots;
    private final int allDevices;
    private final GroupDeliveries groups;
    private final SendIds ids;

    private long acked;
    private long delivered;
    private long redelivered;
    private long duplicatesInSession;
    private long duplicatesToApp;
    private long receiptErrors;
    private long sendErrors;
    private final Map<String, Long> sendErrorsByCode = new TreeMap<>();
    private long refused;
    private long withheld;
    private long unreadable;

    /**
     * An oracle whose tables hold {@code expected} messages from {@code devices} devices without growing ({@link
     * TableSizes#expected}): each doubling of a table of millions copies it on the clients' thread, a stall the send lag shows,
     * and garbage in the measured window.
     */
    Oracle(GroupPlan plan, DeviceSlots slots, int expected, int devices) {
        this.slots = slots;
        this.allDevices = (1 << slots.devicesPerUser()) - 1;
        this.groups = new GroupDeliveries(plan, slots);
        senders = new int[expected];
        recipients = new int[expected];
        states = new byte[expected];
        devicesDelivered = new byte[expected];
        ids = new SendIds(expected, devices);
        order = new DeliveryOrder(expected, slots, devices, plan.count() + 1);
    }

    /** The ids of the devices' sends: the envelopes take them as they write, the oracle reads them. */
    SendIds ids() {
        return ids;
    }

    /** The id message {@code index} went under, or 0 while it has not gone on the wire. */
    long idOf(int index) {
        return ids.idOf(index);
    }

    /**
     * Registers a send from a device (slot) to a user (index) and returns its global index, carried in its body; it
     * goes under the id {@link SendIds#workload} gives it.
     */
    int sent(int sender, int recipient) {
        return register(sender, recipient, (byte) 0);
    }

    /** Registers a send to a group, like {@link #sent}. */
    int sentToGroup(int sender, int group) {
        return register(sender, groups.add(group, sent), GROUP);
    }

    private int register(int sender, int recipient, byte kind) {
        if (sent == states.length) {
            int capacity = sent * 2;
            senders = Arrays.copyOf(senders, capacity);
            recipients = Arrays.copyOf(recipients, capacity);
            states = Arrays.copyOf(states, capacity);
            devicesDelivered = Arrays.copyOf(devicesDelivered, capacity);
        }
        int index = sent++;
        senders[index] = sender;
        recipients[index] = recipient;
        states[index] = kind;
        return index;
    }

    boolean isGroup(int index) {
        return (states[index] & GROUP) != 0;
    }

    /** The group a group message went to. */
    int groupOf(int index) {
        return groups.group(recipients[index]);
    }

    /** The members a group message went to (its membership version's), sorted; do not modify. */
    int[] groupMembersOf(int index) {
        return groups.members(recipients[index]);
    }

    /** The message's global index, or -1 when that sending device never sent that id. */
    int indexOf(int sender, long id) {
        int index = ids.indexOf(sender, id);
        return index >= 0 && index < sent && senders[index] == sender ? index : -1;
    }

    /**
     * Whether message {@code index} is the one {@code sender} sent as {@code id}: {@link #indexOf} the other way round.
     * Its tables are read by index, which deliveries reach in about the order of the sends, where {@link #indexOf}
     * reads one of the devices' tables of ids, out of the cache (41 of the load generator's 488 samples at 500,000
     * msgs/s offered on direct, when deliveries were checked that way).
     */
    boolean sentAs(long index, int sender, long id) {
        return index >= 0 && index < sent && senders[(int) index] == sender && ids.idOf((int) index) == id;
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

    /**
     * The server answered the send with an error that is no refusal for now: a fault the run counts, and by {@code
     * code} ({@code sendErrorsByCode} of summary.json) so that a user can tell which.
     */
    void rejected(int index, String code) {
        states[index] |= REJECTED;
        sendErrors++;
        sendErrorsByCode.merge(code, 1L, Long::sum); // keys: the protocol's few error codes
    }

    /**
     * The server refused the send for now ({@code unavailable} or {@code rate-limited}): nothing was stored, nothing
     * is owed, and the workload does not send it again. Counted apart from {@link #rejected} errors, which mean a fault.
     */
    void refused(int index) {
        states[index] |= REJECTED;
        refused++;
    }

    /**
     * The sending device did not send the message: the server had told it to wait ({@code retryAfterMs}) and the wait
     * was not over. Refused as {@link #refused} is, by the client on the server's word.
     */
    void withheld(int index) {
        states[index] |= REJECTED;
        withheld++;
    }

    /**
     * A {@code msg} reached a recipient device (slot) from a sending device: returns {@link #NEW_TO_READER} or {@link
     * #NEW_TO_DEVICE} for a first delivery to that device, {@link #DUPLICATE} for a copy of one it already had, else
     * {@link #REFUSED} (a message never sent to this device counts as a receipt error).
     *
     * @param newSession whether a copy can be the server's redelivery on a new session: its seq is one that an earlier
     *     session of this device already saw, and it comes in seq order in this one ({@link DeliverySeqs}). A copy that
     *     is not (a new seq for a message the device had, or a seq repeated within the session) is a server fault.
     */
    int delivered(int index, int recipient, int fromSender, long id, boolean newSession) {
        if (!known(index) || senders[index] != fromSender || ids.idOf(index) != id) {
            receiptErrors++;
            return REFUSED;
        }
        int outcome;
        int conversation;
        if (isGroup(index)) {
            int slot = recipients[index];
            outcome = groups.deliver(slot, recipient, fromSender);
            if (outcome == GroupDeliveries.WAIVED) {
                // Its member went after the message: the server may still have delivered it before dropping it.
                return REFUSED;
            }
            if (outcome == GroupDeliveries.DUPLICATE) {
                return duplicate(newSession);
            }
            if (outcome < GroupDeliveries.DUPLICATE) {
                receiptErrors++;
                return REFUSED;
            }
            if (groups.membersLeft(slot) == 0) {
                states[index] |= DELIVERED;
            }
            conversation = groups.group(slot) + 1;
        } else {
            int bit = 1 << (slots.device(recipient) - 1);
            int had = devicesDelivered[index] & 0xFF;
            if (recipients[index] != slots.user(recipient)) {
                receiptErrors++;
                return REFUSED;
            }
            if ((had & bit) != 0) {
                return duplicate(newSession);
            }
            devicesDelivered[index] = (byte) (had | bit);
            if ((had | bit) == allDevices) {
                states[index] |= DELIVERED;
            }
            outcome = had == 0 ? NEW_TO_READER : NEW_TO_DEVICE;
            conversation = 0;
        }
        delivered++;
        order.delivered(conversation, recipient, fromSender, id);
        return outcome;
    }

    private int duplicate(boolean newSession) {
        if (newSession) {
            redelivered++;
        } else {
            duplicatesInSession++;
        }
        return DUPLICATE;
    }

    /**
     * The client's de-duplication showed its application a message that {@link #delivered} had called a {@link
     * #DUPLICATE}: the application saw it twice.
     */
    void duplicateShown() {
        duplicatesToApp++;
    }

    /**
     * As {@link #duplicateShown}, for {@code count} copies the client decided after the drain ({@link
     * ClientInbox#settle}).
     */
    void duplicatesShown(long count) {
        duplicatesToApp += count;
    }

    /**
     * A delivery whose envelope did not open (decryption failed) or opened to a plaintext that is not the message its
     * id names (wrong digest, another message's index): the application never sees that message on that device.
     */
    void unreadable() {
        unreadable++;
    }

    /**
     * A user ({@code reader}, an index) sent {@code read} for this message, once: its sending device is owed a read
     * receipt, for a group message once every other member has read it. For a group, a read also counts as the
     * member's delivery, as the server takes it.
     */
    void readSent(int index, int reader) {
        if (!isGroup(index)) {
            states[index] |= READ_EXPECTED;
            return;
        }
        int slot = recipients[index];
        if (groups.read(slot, reader)) {
            states[index] |= READ_EXPECTED;
        }
        if (groups.membersLeft(slot) == 0) {
            states[index] |= DELIVERED;
        }
    }

    /**
     * The session of {@code sender} closed before the server answered some of its sends: reports the group of each
     * such group message, once.
     */
    void forEachUnansweredGroupMessage(int sender, IntConsumer group) {
        for (int i = 0; i < sent; i++) {
            if (senders[i] == sender && isGroup(i) && (states[i] & (ACKED | REJECTED | UNANSWERED)) == 0) {
                states[i] |= UNANSWERED;
                group.accept(groupOf(i));
            }
        }
    }

    /**
     * {@code member} leaves {@code group} or is removed from it (the request is sent; the server may act on it before
     * the client hears back): it is waived in every earlier message of the group the server accepted or may still
     * accept (a refused one is owed nothing). Walks the group's messages only.
     */
    void memberGone(int group, int member) {
        for (int slot = groups.latest(group); slot >= 0; slot = groups.previous(slot)) {
            int i = groups.index(slot);
            if ((states[i] & REJECTED) == 0) {
                int completed = groups.waive(slot, member, senders[i]);
                if ((completed & GroupDeliveries.WAIVE_COMPLETED_DELIVERED) != 0) {
                    states[i] |= DELIVERED;
                }
                if ((completed & GroupDeliveries.WAIVE_COMPLETED_READ) != 0) {
                    states[i] |= READ_EXPECTED | DELIVERED;
                }
            }
        }
    }

    /** Whether the member went from the group after this group message was sent: it must not read it any more. */
    boolean waived(int index, int member) {
        return groups.waived(recipients[index], member);
    }

    /** Deliveries still owed to recipient devices: for a group, to other members' and the sender's other devices. */
    private int owedDevices(int index) {
        return isGroup(index)
                ? groups.owedDevices(recipients[index])
                : slots.devicesPerUser() - Integer.bitCount(devicesDelivered[index] & 0xFF);
    }

    /**
     * Whether the acknowledged message {@code index} is still owed to {@code device} (a slot): one of the deliveries
     * {@link OracleCounts#lost} counts. Reads only, so that owners of the server's state may ask it once the oracle no
     * longer changes (see {@link HeldAtEnd}).
     */
    boolean owes(int index, int device) {
        if (!known(index) || (states[index] & ACKED) == 0) {
            return false;
        }
        if (isGroup(index)) {
            return groups.owes(recipients[index], device, senders[index]);
        }
        return recipients[index] == slots.user(device)
                && (devicesDelivered[index] & (1 << (slots.device(device) - 1))) == 0;
    }

    /** Whether the receipt of {@code kind} for message {@code index} is due and missing; reads only, as {@link #owes}. */
    boolean missingReceipt(int index, ReceiptKind kind) {
        if (!known(index)) {
            return false;
        }
        byte state = states[index];
        return kind == ReceiptKind.DELIVERED
                ? (state & DELIVERED) != 0 && (state & DELIVERED_RECEIPT) == 0
                : (state & READ_EXPECTED) != 0 && (state & READ_RECEIPT) == 0;
    }

    /** Whether {@code user} (an index) may read message {@code index}: its recipient, or a member it went to. */
    boolean readerOf(int index, int user) {
        return isGroup(index) ? Arrays.binarySearch(groupMembersOf(index), user) >= 0 : recipients[index] == user;
    }

    /** The sending device's slot. */
    int senderOf(int index) {
        return senders[index];
    }

    /** The recipient (user index) of a one-to-one message. */
    int recipientOf(int index) {
        return recipients[index];
    }

    /**
     * A delivered receipt reached the sending device, naming a group ({@code toGroup}) or a user: right only once, only
     * after every device of the recipient (of every other member, or that member's read) acknowledged, and only naming
     * what the message went to. Returns whether it was right.
     */
    boolean deliveredReceipt(int index, boolean toGroup) {
        if (index < 0
                || isGroup(index) != toGroup
                || (states[index] & DELIVERED) == 0
                || (states[index] & DELIVERED_RECEIPT) != 0) {
            receiptErrors++;
            return false;
        }
        states[index] |= DELIVERED_RECEIPT;
        return true;
    }

    /**
     * A read receipt reached the sender, naming a group ({@code toGroup}) or a user: right only once, only for a
     * message every recipient read. A group message's comes naming the group, never a member: the server counts a
     * member's read only toward the group's receipt, also when the read reached it after the member went.
     */
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
     * sends, wrong or repeated receipts, and reordering where it is checked at once). A message or receipt still on its
     * way is not an error yet, so missing ones are left to the final counts, as is reordering checked after the drain.
     */
    Progress progress() {
        return new Progress(sent, delivered, sendErrors + receiptErrors + order.reorderedSoFar() + unreadable);
    }

    record Progress(long sent, long delivered, long errors) {}

    /** Sends refused so far ({@code unavailable}, {@code rate-limited}), as {@link OracleCounts#refused} counts them. */
    long refusedSoFar() {
        return refused;
    }

    /**
     * The final counts: call after the drain. Missing receipts of delivered messages count as receipt errors, and the
     * first deliveries whose order check waited are checked.
     */
    OracleCounts counts() {
        long lost = 0;
        long missingReceipts = 0;
        long neverAcked = 0;
        for (int i = 0; i < sent; i++) {
            byte state = states[i];
            if ((state & ACKED) == 0 && (state & REJECTED) == 0) {
                neverAcked++;
            }
            if ((state & ACKED) != 0) {
                lost += owedDevices(i);
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
                redelivered,
                duplicatesInSession,
                duplicatesToApp,
                order.reordered(),
                receiptErrors + missingReceipts,
                sendErrors,
                Map.copyOf(sendErrorsByCode),
                neverAcked,
                refused,
                withheld,
                unreadable);
    }

    /** Every message neither acknowledged nor refused, as (sending device's slot, index), in index order. */
    void forEachUnacknowledged(IntIntConsumer sentBy) {
        for (int i = 0; i < sent; i++) {
            if ((states[i] & (ACKED | REJECTED)) == 0) {
                sentBy.accept(senders[i], i);
            }
        }
    }

    /**
     * Reports every device (slot) a message still waits on: each recipient device that has not had it, the sending
     * device of one not yet acknowledged or missing a receipt. With churn, the drain brings these devices online so that
     * their queued messages and receipts can arrive.
     */
    void forEachWaitingDevice(IntConsumer device) {
        forEachWaitingDevice(device, device);
    }

    /** As {@link #forEachWaitingDevice(IntConsumer)}, recipient devices to {@code device}, senders to {@code sender}. */
    void forEachWaitingDevice(IntConsumer device, IntConsumer sender) {
        for (int i = 0; i < sent; i++) {
            byte state = states[i];
            if ((state & REJECTED) != 0) {
                continue;
            }
            if (owedDevices(i) > 0) {
                if ((state & GROUP) != 0) {
                    groups.forEachUndelivered(recipients[i], senders[i], device);
                } else {
                    for (int d = 1; d <= slots.devicesPerUser(); d++) {
                        if ((devicesDelivered[i] & (1 << (d - 1))) == 0) {
                            device.accept(slots.slot(recipients[i], d));
                        }
                    }
                }
            }
            if ((state & ACKED) == 0
                    || ((state & DELIVERED) != 0 && (state & DELIVERED_RECEIPT) == 0)
                    || ((state & READ_EXPECTED) != 0 && (state & READ_RECEIPT) == 0)) {
                sender.accept(senders[i]);
            }
        }
    }

    /**
     * Reports every device of the recipient (of every member, for a group message) of a message whose receipt is due
     * and missing: the {@code recv} or {@code read} that sets the receipt off may still be on its way from one of them.
     */
    void forEachDeviceOwingAReceipt(IntConsumer device) {
        for (int i = 0; i < sent; i++) {
            if (missingReceipt(i, ReceiptKind.DELIVERED) || missingReceipt(i, ReceiptKind.READ)) {
                if (isGroup(i)) {
                    for (int member : groupMembersOf(i)) {
                        forEachDeviceOf(member, device);
                    }
                } else {
                    forEachDeviceOf(recipients[i], device);
                }
            }
        }
    }

    private void forEachDeviceOf(int user, IntConsumer device) {
        for (int d = 1; d <= slots.devicesPerUser(); d++) {
            device.accept(slots.slot(user, d));
        }
    }

    /** True once every acknowledged message reached every device it is owed to and every due receipt has arrived. */
    boolean settled() {
        OracleCounts counts = counts();
        return counts.lost() == 0 && counts.receiptErrors() == 0 && acked + sendErrors + refused + withheld == sent;
    }

    /**
     * The oracle's verdict.
     *
     * @param redelivered copies of a message a device already had, redelivered on a new session of that device: the
     *     recv of the first copy did not reach the server before its session ended (at-least-once: expected)
     * @param duplicatesInSession copies the server had no reason to send: within one session, or under a new seq (a
     *     server fault)
     * @param duplicatesToApp copies that got past the client's de-duplication to the application (a client fault)
     * @param refused sends the server answered {@code unavailable} or {@code rate-limited}: not stored, owed nothing
     * @param withheld arrivals a device did not send because the server had told it to retry later and the time had
     *     not come: refused too, by the client on the server's word
     * @param unreadable deliveries whose envelope did not open to the plaintext its id names ({@link #unreadable()})
     */
    record OracleCounts(
            long sent,
            long acked,
            long delivered,
            long lost,
            long redelivered,
            long duplicatesInSession,
            long duplicatesToApp,
            long reordered,
            long receiptErrors,
            long sendErrors,
            Map<String, Long> sendErrorsByCode,
            long neverAcked,
            long refused,
            long withheld,
            long unreadable) {}
}
