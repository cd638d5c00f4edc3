package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * The end of a drain that did not settle, before the server is asked what it still holds ({@link HeldAtEnd}): every
 * online device that a message or receipt still waits on, and every device of the recipients of a message whose
 * receipt is missing, subscribes to its own user's presence. The answer comes from the owner of that user, which is
 * also the owner that writes the device's messages and receipts and takes its {@code recv}s and {@code read}s, through
 * the same outbox and connection, after everything that owner wrote to the device before it took the {@code sub}, and
 * after the device's earlier frames. Meanwhile the clients acknowledge nothing more, so the owner writes the device no
 * new message, and read nothing more ({@link ReadSchedule#stop}). Twice: the receipts that the first round's {@code
 * recv}s and {@code read}s set off travel from the recipient's owner to the sender's, and the second round's {@code
 * sub} reaches the sender's owner after them (a shard reads its peer ring before its inbox; locked routing delivers
 * them before the recipient's thread goes on).
 *
 * <p>Once a device has its answer in the last round (it is confirmed), whatever the server wrote to its session has
 * arrived or never will: an entry the server still counts as written to it, and the oracle still misses, was lost on
 * the way. A device that gets no answer within the limit stays unconfirmed, and what the server wrote to it counts as
 * still held.
 *
 * <p>Virtual users never subscribe to themselves ({@link ContactGraph}, the seeded draws skip the user), so a {@code
 * presence} frame about a device's own user is this barrier's answer. Client event loop only, until {@link #done}; the
 * confirmed devices are read by the server's owners after it ({@link HeldAtEnd}).
 */
final class EndBarrier {
    /** How long the devices have to answer both rounds; enough for an owner to work through a full inbox. */
    static final long LIMIT_MS = 60_000;

    private static final int ROUNDS = 2;

    private final DeviceSlots slots;
    private final Oracle oracle;
    /** Whether a device (slot) has a session that can hear. */
    private final IntPredicate online;

    private final DeviceConnections clients;
    private final long[] asked;
    private final long[] confirmed;
    /** Devices asked in this round that have not answered. */
    private int waiting;

    private int round;
    private boolean started;
    /** What runs once the barrier is passed, until it has run. */
    private Runnable done;

    private long startNs;
    private long passedNs;
    private boolean passed;

    EndBarrier(DeviceSlots slots, int devices, Oracle oracle, IntPredicate online, DeviceConnections clients) {
        this.slots = slots;
        this.oracle = oracle;
        this.online = online;
        this.clients = clients;
        this.asked = new long[(devices + 63) >>> 6];
        this.confirmed = new long[asked.length];
    }

    /**
     * Asks every device the oracle waits on, or whose user's receipt it misses, that can hear, and runs {@code then}
     * once each has its answer in both rounds, or at the limit.
     */
    void start(EventLoop loop, Runnable then) {
        startNs = System.nanoTime();
        started = true;
        done = then;
        loop.schedule(this::finish, LIMIT_MS, TimeUnit.MILLISECONDS);
        nextRound();
    }

    private void nextRound() {
        if (round++ == ROUNDS) {
            finish();
            return;
        }
        Arrays.fill(asked, 0);
        Arrays.fill(confirmed, 0);
        IntConsumer ask = device -> {
            if (online.test(device) && !test(asked, device)) {
                set(asked, device);
                waiting++;
                clients.write(device, clients.outFrame().reset(FrameType.SUB).user(slots.userId(slots.user(device))));
            }
        };
        oracle.forEachWaitingDevice(ask);
        oracle.forEachDeviceOwingAReceipt(ask);
        clients.flushWritten();
        if (waiting == 0) {
            nextRound();
        }
    }

    /** Whether the clients still acknowledge what they receive: not once the barrier started. */
    boolean started() {
        return started;
    }

    /** A {@code presence} frame about {@code user} reached {@code device}: true when it was this barrier's answer. */
    boolean answered(int device, long user) {
        if (!started || user != slots.userId(slots.user(device)) || !test(asked, device) || test(confirmed, device)) {
            return false;
        }
        set(confirmed, device);
        if (--waiting == 0 && done != null) {
            nextRound();
        }
        return true;
    }

    /** Whether everything the server wrote to the device's session before its answer has arrived, or never will. */
    boolean confirmed(int device) {
        return device >= 0 && device < confirmed.length * 64 && test(confirmed, device);
    }

    /** Whether the barrier was passed (its devices answered, or the limit came): what it ran then has run. */
    boolean passed() {
        return passed;
    }

    /** How long the barrier took, from its start until every device answered or the limit. */
    long tookMs() {
        return (passedNs - startNs) / 1_000_000;
    }

    /** Devices asked in the last round that had not answered when the barrier ended (at its limit). */
    int unconfirmed() {
        return waiting;
    }

    private void finish() {
        if (done != null) {
            passedNs = System.nanoTime();
            passed = true;
        }
        Runnable then = done;
        done = null;
        if (then != null) {
            then.run();
        }
    }

    private static boolean test(long[] bits, int device) {
        return (bits[device >>> 6] & (1L << device)) != 0;
    }

    private static void set(long[] bits, int device) {
        bits[device >>> 6] |= 1L << device;
    }
}
