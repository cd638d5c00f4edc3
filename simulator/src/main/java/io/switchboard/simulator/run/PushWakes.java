package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Phones in the background ({@link Scenario.Devices}): which devices they are (a seeded share, a draw per slot), when
 * each goes idle, and its wake by a {@code sim} push after a modelled delay. A background device disconnects once
 * {@code idleAfter} has passed without a message in either direction (checked lazily: one {@link DeadlineQueue} entry
 * per online background device, pushed back when it was active meanwhile), and only a push brings it back: the push's
 * delay is drawn log-normally per (device, push), then the device connects. A login of a background device that no
 * push asked for is counted ({@link #wokenWithoutPush}), so a run shows if anything else woke one.
 *
 * <p>For each message that waited for a wake, delivered on the woken session: send→deliver, and its split into the
 * modelled delay of the wake it waited for and the rest, which is the server's own part (queueing, the push dispatch,
 * the handshake and the delivery). Client event loop only, but for {@link #pushed}, which the push dispatcher calls.
 */
final class PushWakes {
    /** The run's side: its devices' sessions. */
    interface Phones {
        /** A wake came due: logs the device in and says {@link #CONNECTING}, {@link #ONLINE} or {@link #BETWEEN}. */
        int wake(int device);

        /** Whether the device has a session (a background device is never logged in by this call). */
        boolean online(int device, long nowMs);

        /** The device went idle at {@code atMs}: its session ends. */
        void logout(int device, long atMs);
    }

    /** {@link Phones#wake}: the device is connecting. */
    static final int CONNECTING = 0;
    /** {@link Phones#wake}: the device was online already (the push raced a session). */
    static final int ONLINE = 1;
    /** {@link Phones#wake}: the device is between two states; the wake tries again shortly. */
    static final int BETWEEN = 2;

    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The device's first session, at the start, has opened. */
    private static final byte STARTED = 1;
    /** A push came and its wake is pending or connecting. */
    private static final byte WAKING = 2;
    /** The current session was opened by a push. */
    private static final byte WOKEN = 4;
    /** Its user opened the app (at the end of the run, for receipts): its next session is no wake. */
    private static final byte OPENED = 16;
    /** A phone in the background: drawn once per slot from the seed. */
    private static final byte BACKGROUND = 8;

    private final long seed;
    private final DeviceSlots slots;
    private final double share;
    private final long idleAfterMs;
    private final double medianNs;
    private final double sigma;
    private final byte[] flags;
    private final int[] lastActiveMs;
    private final long[] wakeDelayNs;
    /** When the device's last push came. */
    private final long[] pushedNs;

    private final int[] pushes;
    private final DeadlineQueue idle;
    private final WindowFigures window;
    private EventLoop loop;
    private Phones phones;

    private final Histogram send2deliver = new Histogram(WindowFigures.MAX_MICROS, 3);
    private final Histogram serverPart = new Histogram(WindowFigures.MAX_MICROS, 3);
    private final Histogram modelledDelay = new Histogram(WindowFigures.MAX_MICROS, 3);
    private long pushesTaken;
    private long wakes;
    private long wokenWithoutPush;
    private long pushedWhileOnline;
    private long idleLogouts;
    private long openedByUser;

    PushWakes(Scenario scenario, DeviceSlots slots, WindowFigures window) {
        Scenario.Devices devices = scenario.devices();
        this.seed = scenario.seed();
        this.slots = slots;
        this.share = devices.background();
        this.idleAfterMs = devices.idleAfter().toMillis();
        this.medianNs = devices.wakeDelay().toNanos();
        this.sigma = devices.wakeSigma();
        this.window = window;
        int count = share > 0 ? slots.count(scenario.users()) : 0;
        flags = new byte[count];
        lastActiveMs = new int[count];
        wakeDelayNs = new long[count];
        pushedNs = new long[count];
        pushes = new int[count];
        idle = new DeadlineQueue(DeviceSlots.SLOT_BITS, share > 0 ? 1024 : 0);
        for (int slot = 0; slot < count; slot++) {
            flags[slot] = Mix.unitInterval(seed ^ Mix.mix(0xB6L << 40 ^ slot)) < share ? BACKGROUND : 0;
        }
    }

    /** Whether any device is in the background: then devices register for pushes and go idle. */
    boolean enabled() {
        return share > 0;
    }

    /** Whether the device is a phone in the background: a function of the seed and the slot alone. */
    boolean background(int device) {
        return share > 0 && (flags[device] & BACKGROUND) != 0;
    }

    void attach(EventLoop loop, Phones phones) {
        this.loop = loop;
        this.phones = phones;
    }

    /** A {@code sim} push for device {@code device} of user id {@code user}; on the push dispatcher's thread. */
    void pushed(long user, int device) {
        int slot = slots.slot((int) (user - 1), device);
        loop.execute(() -> onPush(slot));
    }

    private void onPush(int slot) {
        pushesTaken++;
        if ((flags[slot] & WAKING) != 0) {
            return;
        }
        flags[slot] |= WAKING;
        double u1 = Mix.unitInterval(seed ^ Mix.mix(((long) slot << 32) ^ pushes[slot]));
        double u2 = Mix.unitInterval(seed ^ Mix.mix(((long) slot << 32) ^ pushes[slot] ^ 0x5DEECE66DL));
        pushes[slot]++;
        // Box–Muller: a standard normal from two uniforms, then the log-normal of the scenario's median and σ.
        double normal = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        long delayNs = (long) (medianNs * Math.exp(sigma * normal));
        wakeDelayNs[slot] = delayNs;
        pushedNs[slot] = System.nanoTime();
        modelledDelay.recordValue(Math.min(WindowFigures.MAX_MICROS, delayNs / 1000));
        loop.schedule(() -> wake(slot), delayNs, TimeUnit.NANOSECONDS);
    }

    private void wake(int slot) {
        switch (phones.wake(slot)) {
            case ONLINE -> {
                flags[slot] &= ~WAKING;
                pushedWhileOnline++;
            }
            case BETWEEN -> loop.schedule(() -> wake(slot), RETRY_NS, TimeUnit.NANOSECONDS);
            default -> {
                // connecting: welcomed() counts the wake
            }
        }
    }

    /**
     * The drain logs in a device a receipt waits on: a background one as its user opening the app (nothing pushes for
     * receipts), counted apart from wakes. False when a push is about to wake it anyway.
     */
    boolean openedByUser(int device) {
        if (!background(device) || (flags[device] & OPENED) != 0) {
            return true;
        } else if ((flags[device] & WAKING) != 0) {
            return false; // a push for a message is about to wake it
        }
        flags[device] |= OPENED;
        openedByUser++;
        return true;
    }

    /** A session opened at {@code nowMs}: a background device's idle clock starts. */
    void welcomed(int device, long nowMs) {
        if (!background(device)) {
            return;
        }
        byte was = flags[device];
        if ((was & WAKING) != 0) {
            wakes++;
            flags[device] = BACKGROUND | STARTED | WOKEN;
        } else {
            wokenWithoutPush += (was & (STARTED | OPENED)) == STARTED ? 1 : 0;
            flags[device] = BACKGROUND | STARTED;
        }
        active(device, nowMs);
        idle.add(nowMs + idleAfterMs, device);
    }

    /** A message to or from the device at {@code nowMs}: it is not idle. */
    void active(int device, long nowMs) {
        lastActiveMs[device] = (int) nowMs;
    }

    /**
     * Puts to sleep the background devices idle since {@code idleAfter} by {@code nowMs}; one whose session closed
     * meanwhile is dropped from the queue. None while {@code draining}: during the drain nobody leaves.
     */
    void idleDue(long nowMs, boolean draining) {
        while (!draining && idle.due(nowMs)) {
            int device = (int) idle.poll();
            if (!phones.online(device, nowMs)) {
                continue;
            }
            long idleAtMs = lastActiveMs[device] + idleAfterMs;
            if (idleAtMs <= nowMs) {
                idleLogouts++;
                phones.logout(device, nowMs);
            } else {
                idle.add(idleAtMs, device);
            }
        }
    }

    /**
     * A first delivery to a device at {@code nowNs} ({@code nowMs}); a background device was active, and counts it when the session was opened by a push and the message
     * was sent before it opened (it waited for the wake) in the measured window.
     */
    void delivered(int device, long intendedNs, long welcomedNs, long nowNs, long nowMs) {
        if (!background(device)) {
            return;
        }
        active(device, nowMs);
        if ((flags[device] & WOKEN) == 0 || intendedNs >= welcomedNs || !window.contains(intendedNs)) {
            return;
        }
        long totalMicros = WindowFigures.micros(intendedNs, nowNs);
        send2deliver.recordValue(totalMicros);
        // The part of the modelled delay this message waited through: all of it for a message sent before the push,
        // less for one sent while the phone was already being woken.
        long wokenNs = pushedNs[device] + wakeDelayNs[device];
        long modelledNs = Math.max(0, Math.min(nowNs, wokenNs) - Math.max(intendedNs, pushedNs[device]));
        serverPart.recordValue(Math.max(0, totalMicros - modelledNs / 1000));
    }

    /** For summary.json: null when no device is in the background. */
    Map<String, Object> toJson() {
        if (!enabled()) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pushesTaken", pushesTaken);
        json.put("wakes", wakes);
        json.put("wokenWithoutPush", wokenWithoutPush);
        json.put("pushedWhileOnline", pushedWhileOnline);
        json.put("idleLogouts", idleLogouts);
        json.put("openedForReceipts", openedByUser);
        json.put("wokenDeliveries", send2deliver.getTotalCount());
        json.put("send2deliverMicros", ResultsWriter.percentiles(send2deliver));
        json.put("modelledDelayMicros", ResultsWriter.percentiles(modelledDelay));
        json.put("serverPartMicros", ResultsWriter.percentiles(serverPart));
        return json;
    }

    long wokenWithoutPush() {
        return wokenWithoutPush;
    }

    long wakes() {
        return wakes;
    }

    Histogram send2deliver() {
        return send2deliver;
    }
}
