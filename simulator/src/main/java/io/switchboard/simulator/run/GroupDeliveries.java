package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The oracle's record of group messages, by slot (one per group message, in send order). Every device of a member of
 * the membership version current at the send ({@link GroupPlan}) but the sending one is owed the message, the sender's
 * own other devices included; a member added later is not, and a delivery to it is not to a recipient. A member who
 * leaves or is removed is waived in its group's earlier messages ({@link #waive}): its devices are no longer owed
 * them, a late delivery is accepted silently, and it holds back neither aggregated receipt.
 *
 * <p>Each message has a bitset in a shared {@code long[]}: for the member at position p, bit {@code p ×
 * devicesPerUser + d − 1} says its device d got it; after all members' device bits, bit {@code members ×
 * devicesPerUser + p} says it read it, and bit {@code members × (devicesPerUser + 1) + p} that it was waived. Beside
 * the bits, three counts: device deliveries still owed, other members not yet done for the aggregated {@code
 * delivered} receipt (every device has it, or the member read it: the server takes a read as delivered; or it went),
 * and other members yet to read (or go). Each message also links to its group's previous one, so that a member's
 * going walks its group's messages only. Memory is {@code devicesPerUser + 2} bits per member per message plus 28
 * bytes per message, and 4 bytes per group; nothing per user. Single-threaded.
 */
final class GroupDeliveries {
    /** A first delivery to the first device of a member who reads it (not one of the sender's own devices). */
    static final int NEW_TO_READER = 2;
    /** A first delivery to this device. */
    static final int NEW_TO_DEVICE = 1;

    /** {@link #waive}: the member was the last one holding back the {@code delivered} receipt. */
    static final int WAIVE_COMPLETED_DELIVERED = 1;
    /** {@link #waive}: the member was the last one holding back the {@code read} receipt. */
    static final int WAIVE_COMPLETED_READ = 2;

    static final int DUPLICATE = 0;
    static final int NOT_A_RECIPIENT = -1;
    /** A first delivery to a device of a member waived in this message: neither owed nor an error. */
    static final int WAIVED = -2;

    private final GroupPlan plan;
    private final DeviceSlots slots;
    private final int devicesPerUser;
    /** Each message's membership version: member positions are in its members. */
    private int[] versions = new int[256];

    private int[] firstWord = new int[256];
    private int[] owedDevices = new int[256];
    private int[] membersLeft = new int[256];
    private int[] readsLeft = new int[256];
    private long[] bits = new long[1024];
    /** Each message's oracle index, and the slot of its group's previous message (-1: none). */
    private int[] indexes = new int[256];

    private int[] previous = new int[256];
    /** Each group's latest message slot, -1 before its first. */
    private final int[] latest;

    private int messages;
    private int words;

    GroupDeliveries(GroupPlan plan, DeviceSlots slots) {
        this.plan = plan;
        this.slots = slots;
        this.devicesPerUser = slots.devicesPerUser();
        this.latest = new int[plan.count()];
        Arrays.fill(latest, -1);
    }

    /** Registers message {@code index} to {@code group}; returns its slot. */
    int add(int group, int index) {
        if (messages == versions.length) {
            int capacity = messages * 2;
            versions = Arrays.copyOf(versions, capacity);
            firstWord = Arrays.copyOf(firstWord, capacity);
            owedDevices = Arrays.copyOf(owedDevices, capacity);
            membersLeft = Arrays.copyOf(membersLeft, capacity);
            readsLeft = Arrays.copyOf(readsLeft, capacity);
            indexes = Arrays.copyOf(indexes, capacity);
            previous = Arrays.copyOf(previous, capacity);
        }
        int version = plan.version(group);
        int size = plan.versionMembers(version).length;
        int need = (size * (devicesPerUser + 2) + 63) >>> 6;
        if (words + need > bits.length) {
            bits = Arrays.copyOf(bits, Math.max(bits.length * 2, words + need));
        }
        int slot = messages++;
        versions[slot] = version;
        firstWord[slot] = words;
        owedDevices[slot] = size * devicesPerUser - 1;
        membersLeft[slot] = size - 1;
        readsLeft[slot] = size - 1;
        indexes[slot] = index;
        previous[slot] = latest[group];
        latest[group] = slot;
        words += need;
        return slot;
    }

    /** The group's latest message slot, or -1; {@link #previous} walks back from it. */
    int latest(int group) {
        return latest[group];
    }

    /** The slot of the same group's message before this one, or -1. */
    int previous(int slot) {
        return previous[slot];
    }

    /** The oracle index of the message in {@code slot}. */
    int index(int slot) {
        return indexes[slot];
    }

    int group(int slot) {
        return plan.groupOf(versions[slot]);
    }

    /** The members the message was sent to (its version's), sorted; do not modify. */
    int[] members(int slot) {
        return plan.versionMembers(versions[slot]);
    }

    /**
     * {@link #NEW_TO_READER} or {@link #NEW_TO_DEVICE} for a first delivery to {@code device} (a device slot), else
     * {@link #DUPLICATE} or {@link #NOT_A_RECIPIENT}.
     */
    int deliver(int slot, int device, int sendingDevice) {
        int member = slots.user(device);
        int position = plan.position(versions[slot], member);
        if (position < 0 || device == sendingDevice) {
            return NOT_A_RECIPIENT;
        }
        int firstBit = position * devicesPerUser;
        int bit = firstBit + slots.device(device) - 1;
        if (test(slot, bit)) {
            return DUPLICATE;
        }
        if (test(slot, waivedBit(slot, position))) {
            set(slot, bit);
            return WAIVED;
        }
        int hadBefore = count(slot, firstBit);
        set(slot, bit);
        owedDevices[slot]--;
        if (member == slots.user(sendingDevice)) {
            return NEW_TO_DEVICE;
        }
        if (hadBefore + 1 == devicesPerUser && !test(slot, readBit(slot, position))) {
            membersLeft[slot]--;
        }
        return hadBefore == 0 ? NEW_TO_READER : NEW_TO_DEVICE;
    }

    /** Device deliveries still owed, to other members and to the sender's other devices. */
    int owedDevices(int slot) {
        return owedDevices[slot];
    }

    /** Other members not done yet: the aggregated {@code delivered} receipt is due at 0. */
    int membersLeft(int slot) {
        return membersLeft[slot];
    }

    /** A member sent {@code read}, once; true once every other member has. */
    boolean read(int slot, int member) {
        int position = plan.position(versions[slot], member);
        set(slot, readBit(slot, position));
        if (count(slot, position * devicesPerUser) < devicesPerUser) {
            membersLeft[slot]--;
        }
        return --readsLeft[slot] == 0;
    }

    /**
     * The member left or was removed after this message: its devices that have not had it are no longer owed it, and
     * unless it is the sender's user, it holds back neither receipt any more (as the server takes it). Does nothing for
     * a member not in the message's version or already waived. Returns {@link #waive} flags: which aggregate it
     * completed.
     */
    int waive(int slot, int member, int sendingDevice) {
        int position = plan.position(versions[slot], member);
        if (position < 0 || test(slot, waivedBit(slot, position))) {
            return 0;
        }
        set(slot, waivedBit(slot, position));
        int firstBit = position * devicesPerUser;
        for (int d = 1; d <= devicesPerUser; d++) {
            if (!test(slot, firstBit + d - 1) && slots.slot(member, d) != sendingDevice) {
                owedDevices[slot]--;
            }
        }
        if (member == slots.user(sendingDevice)) {
            return 0;
        }
        boolean read = test(slot, readBit(slot, position));
        int completed = 0;
        if (!read && count(slot, firstBit) < devicesPerUser && --membersLeft[slot] == 0) {
            completed |= WAIVE_COMPLETED_DELIVERED;
        }
        if (!read && --readsLeft[slot] == 0) {
            completed |= WAIVE_COMPLETED_READ;
        }
        return completed;
    }

    /** Whether the member was waived in this message (it went after the message was sent). */
    boolean waived(int slot, int member) {
        int position = plan.position(versions[slot], member);
        return position >= 0 && test(slot, waivedBit(slot, position));
    }

    /** Whether {@code device} (a slot) is owed the message: a member's, not the sending one, not had it, not waived. */
    boolean owes(int slot, int device, int sendingDevice) {
        int position = plan.position(versions[slot], slots.user(device));
        return position >= 0
                && device != sendingDevice
                && !test(slot, position * devicesPerUser + slots.device(device) - 1)
                && !test(slot, waivedBit(slot, position));
    }

    /** Every member device, but the sending one, that has not had the message yet. */
    void forEachUndelivered(int slot, int sendingDevice, IntConsumer device) {
        int[] members = members(slot);
        for (int position = 0; position < members.length; position++) {
            for (int d = 1; d <= devicesPerUser; d++) {
                int candidate = slots.slot(members[position], d);
                if (candidate != sendingDevice
                        && !test(slot, position * devicesPerUser + d - 1)
                        && !test(slot, waivedBit(slot, position))) {
                    device.accept(candidate);
                }
            }
        }
    }

    private int readBit(int slot, int position) {
        return members(slot).length * devicesPerUser + position;
    }

    private int waivedBit(int slot, int position) {
        return members(slot).length * (devicesPerUser + 1) + position;
    }

    /** How many of the member's device bits from {@code firstBit} are set. */
    private int count(int slot, int firstBit) {
        int set = 0;
        for (int d = 0; d < devicesPerUser; d++) {
            set += test(slot, firstBit + d) ? 1 : 0;
        }
        return set;
    }

    private boolean test(int slot, int bit) {
        return (bits[firstWord[slot] + (bit >>> 6)] & (1L << bit)) != 0;
    }

    private void set(int slot, int bit) {
        bits[firstWord[slot] + (bit >>> 6)] |= 1L << bit;
    }

    private void clear(int slot, int bit) {
        bits[firstWord[slot] + (bit >>> 6)] &= ~(1L << bit);
    }
}
