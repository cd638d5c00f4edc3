package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.VirtualClients;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;

/**
 * What the virtual clients do when the server goes away (a fault kills or restarts it): every device whose connection
 * closed, or whose connect was refused, tries again after an exponential back-off with jitter (from {@link
 * #FIRST_BACKOFF_MS}, doubling to {@link #MAX_BACKOFF_MS}, as a mobile client does), and once welcomed sends again every
 * message it sent that was never acknowledged, under the same id (the run keeps them counted in flight across the close): the server acknowledges again a message it had
 * accepted and takes one it had not, so either way it is delivered once. The {@link Oracle} then checks across the
 * outage what it checks always: nothing acknowledged lost, nothing shown twice, order, receipts.
 *
 * <p>Sits between the connections and the run ({@link VirtualClients.Listener}): connection errors during a run with
 * faults are the faults' doing, not the run's failure, and a refused connect counts as a close. Per outage it measures
 * the recovery time (the fault's start until the first welcome after it), the messages acknowledged before it, and the
 * messages sent again. Client event loop only, but for {@link #outage}, which hands over to it.
 */
final class Outages implements VirtualClients.Listener {
    static final long FIRST_BACKOFF_MS = 50;
    static final long MAX_BACKOFF_MS = 2_000;

    /** One outage: when it began (s from the workload's start) and what it cost. */
    static final class Outage {
        final String kind;
        final double atSec;
        final long ackedBefore;
        final long unacknowledged;
        final long startNs;
        final boolean storm;
        long recoveryMs = -1;
        /**
         * Connections that closed during the outage, welcomes that ended a device's attempts, and when the last device
         * was back (-1: one never was).
         */
        int closed;

        int back;
        long allBackMs = -1;
        long sentAgain;
        /** Of each device the outage closed, ms from the fault to its welcome: how long the herd waited. */
        final Histogram welcomeMs = new Histogram(3);
        /** What a fault measures of its own ({@code slowReaders}: latency, the server's closes and heap). */
        final Map<String, Object> details = new LinkedHashMap<>();

        Outage(String kind, double atSec, long ackedBefore, long unacknowledged, long startNs) {
            this.kind = kind;
            this.storm = kind.equals("storm");
            this.atSec = atSec;
            this.ackedBefore = ackedBefore;
            this.unacknowledged = unacknowledged;
            this.startNs = startNs;
        }

        /**
         * An entry of summary.json's {@code faults}: its kind, when (s), the recovery time (ms from the fault to the
         * first welcome after it; -1 when none came), messages acknowledged before it and without an ack at it (sent
         * and never answered by then), and messages sent again after it.
         */
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", kind);
            json.put("atSec", atSec);
            json.put("recoveryMs", recoveryMs);
            json.put("devicesClosed", closed);
            json.put("allBackMs", allBackMs);
            json.put("ackedBefore", ackedBefore);
            json.put("unacknowledgedAt", unacknowledged);
            json.put("sentAgain", sentAgain);
            if (welcomeMs.getTotalCount() > 0) {
                json.put("welcomeP50Ms", welcomeMs.getValueAtPercentile(50));
                json.put("welcomeP99Ms", welcomeMs.getValueAtPercentile(99));
                json.put("welcomeMaxMs", welcomeMs.getMaxValue());
            }
            json.putAll(details);
            return json;
        }

        @Override
        public String toString() {
            String closes = closed == 0 && recoveryMs < 0
                    ? "no connection closed"
                    : String.format(
                            "first welcome after %,d ms; %,d connections closed, the last device back after %,d ms",
                            recoveryMs, closed, allBackMs);
            return String.format(
                            "%s at %.1f s: %s; %,d messages acknowledged before it, %,d without an ack at it, %,d sent"
                                    + " again",
                            kind, atSec, closes, ackedBefore, unacknowledged, sentAgain)
                    + (welcomeMs.getTotalCount() == 0
                            ? ""
                            : String.format("; welcome p99 %,d ms after it", welcomeMs.getValueAtPercentile(99)))
                    + (details.isEmpty() ? "" : "; " + details);
        }
    }

    private final VirtualClients.Listener run;
    private boolean ended;
    /** Logs a device in unless it is already on its way ({@link GroupCreation.Creators#online}). */
    private final GroupCreation.Creators devices;

    private final Oracle oracle;
    private final MessageWriter writer;
    /** Whose unconfirmed reads go again after a close, as unacknowledged sends do. */
    private final ReadSchedule reads;

    private final WindowFigures figures;
    private final long seed;
    private final byte[] attempts;
    /** Per device: a chain of attempts runs ({@link #retryLater}) until its welcome. */
    private final boolean[] retrying;

    private final List<Outage> outages = new ArrayList<>();
    /**
     * Each device's sends without an ack, taken from the oracle at the first welcome after a close (one walk over the
     * messages serves every welcome until the next close, such as the whole herd of a storm).
     */
    private Int2ObjectHashMap<IntArrayList> unacknowledged;

    private VirtualClients clients;
    private EventLoop loop;
    private long startNs;

    Outages(
            VirtualClients.Listener run,
            GroupCreation.Creators devices,
            Oracle oracle,
            MessageWriter writer,
            ReadSchedule reads,
            WindowFigures figures,
            long seed,
            int deviceCount) {
        this.run = run;
        this.devices = devices;
        this.oracle = oracle;
        this.writer = writer;
        this.reads = reads;
        this.figures = figures;
        this.seed = seed;
        this.attempts = new byte[deviceCount];
        this.retrying = new boolean[deviceCount];
    }

    void attach(VirtualClients clients) {
        this.clients = clients;
        this.loop = clients.loop();
        startNs = System.nanoTime();
    }

    /**
     * Milliseconds since {@link #attach}, as the run's schedule counts them, give or take the few between the attach
     * and the run's connect: with churn, a device back from an outage has its next logout drawn from here.
     */
    private long nowMs() {
        return (System.nanoTime() - startNs) / 1_000_000;
    }

    /**
     * An outage begins now (call on any thread, before the server goes): returns once the client loop knows, so that
     * the closes that follow count as the outage's (as the latest outage's, when two overlap).
     */
    Outage outage(String kind, double atSec) throws Exception {
        long startNs = System.nanoTime();
        return loop.submit(() -> {
                    Oracle.Progress progress = oracle.progress();
                    long acked = oracle.counts().acked();
                    Outage outage = new Outage(kind, atSec, acked, progress.sent() - acked, startNs);
                    outages.add(outage);
                    unacknowledged = null;
                    return outage;
                })
                .get(10, TimeUnit.SECONDS);
    }

    /** The sends the server refused so far, read on the client loop. */
    long refused() throws Exception {
        return loop.submit(oracle::refusedSoFar).get(10, TimeUnit.SECONDS);
    }

    /** The devices a {@code slowReaders} fault makes slow, and the latency it compares. */
    SlowReaders slowReaders() {
        return figures.slowReaders;
    }

    List<Outage> outages() {
        return outages;
    }

    /**
     * The run is over (call on the client loop, as its outcome is taken): the closes of its end are no outage's, and
     * no device is brought back.
     */
    void end() {
        ended = true;
    }

    @Override
    public void onFrame(int device, Frame frame) {
        run.onFrame(device, frame);
        // Frames come between the run's ticks: what they make a device write goes now, as welcomed's sends do.
        if (frame.type() == FrameType.PONG && reads.pong(device)) {
            clients.flushWritten();
        } else if (frame.type() == FrameType.WELCOME) {
            if (reads.welcomedAgain(device)) {
                clients.flushWritten();
            }
            if (!outages.isEmpty()) {
                welcomed(device);
            }
        }
    }

    @Override
    public void onClosed(int device) {
        run.onClosed(device);
        reads.closed(device);
        if (!outages.isEmpty() && !ended) {
            if (!retrying[device]) {
                outages.get(outages.size() - 1).closed++;
            }
            // What this device sent on the session that closed is unacknowledged now too: take it at the next welcome.
            unacknowledged = null;
            retryLater(device);
        }
    }

    /**
     * A reconnect storm (call on any thread): every connection closes at once, abruptly as a network that drops, and
     * every device reconnects at once, without back-off (the run still caps handshakes in flight).
     */
    void storm(double atSec) throws Exception {
        outage("storm", atSec);
        loop.submit(() -> clients.closeAll()).get(10, TimeUnit.SECONDS);
    }

    /**
     * A refused connect, a reset connection, a handshake cut short: the outage's, once one began; the run's failure
     * otherwise, and for any other error.
     */
    @Override
    public void onError(int device, Throwable cause) {
        if (outages.isEmpty()) {
            run.onError(device, cause);
        } else if (cause instanceof ConnectException) {
            // The connect itself failed: no channel became active, so no close follows.
            onClosed(device);
        } else if (!(cause instanceof IOException || cause instanceof WebSocketHandshakeException)) {
            run.onError(device, cause);
        }
        // Otherwise the connection is closed after the error, and its close brings the device back.
    }

    /**
     * Starts the device's chain of attempts unless one runs: each attempt logs it in (when the run's cap on handshakes
     * in flight allows) and, until it is welcomed, schedules the next after a longer back-off. One chain per device,
     * however many closes and refused connects it meets.
     */
    private void retryLater(int device) {
        if (!retrying[device]) {
            retrying[device] = true;
            loop.schedule(() -> attempt(device), backoffMs(device), TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(int device) {
        if (!retrying[device]) {
            return;
        }
        devices.online(device, nowMs());
        loop.schedule(() -> attempt(device), backoffMs(device), TimeUnit.MILLISECONDS);
    }

    /** The next back-off of the device: none in a storm, else exponential with up to half again of seeded jitter. */
    private long backoffMs(int device) {
        if (outages.get(outages.size() - 1).storm) {
            return 0;
        }
        int attempt = Math.min(attempts[device]++, 16);
        long backoffMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << attempt);
        // Jitter spreads the herd, from the seed so that runs repeat.
        return backoffMs + (long) (Mix.unitInterval(seed + 7L * device + attempt) * backoffMs / 2);
    }

    private void welcomed(int device) {
        attempts[device] = 0;
        Outage last = outages.get(outages.size() - 1);
        long now = System.nanoTime();
        if (last.recoveryMs < 0) {
            last.recoveryMs = TimeUnit.NANOSECONDS.toMillis(now - last.startNs);
        }
        if (retrying[device]) {
            retrying[device] = false;
            last.welcomeMs.recordValue(TimeUnit.NANOSECONDS.toMillis(now - last.startNs));
            if (++last.back == last.closed) {
                last.allBackMs = TimeUnit.NANOSECONDS.toMillis(now - last.startNs);
            }
        }
        if (unacknowledged == null) {
            unacknowledged = new Int2ObjectHashMap<>();
            oracle.forEachUnacknowledged((sender, index) -> unacknowledged
                    .computeIfAbsent(sender, s -> new IntArrayList())
                    .addInt(index));
        }
        IntArrayList sends = unacknowledged.remove(device);
        if (sends != null) {
            sends.forEachOrderedInt(index -> sendAgain(device, index));
            last.sentAgain += sends.size();
            clients.flushWritten();
        }
    }

    private void sendAgain(int device, int index) {
        boolean group = oracle.isGroup(index);
        writer.write(
                clients,
                device,
                index,
                figures.intendedOf(index),
                group ? -1 : oracle.recipientOf(index),
                group ? oracle.groupOf(index) : -1);
    }
}
