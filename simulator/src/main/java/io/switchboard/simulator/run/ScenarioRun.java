package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.simulator.net.WsClients;
import io.switchboard.simulator.net.WsConnection;
import io.switchboard.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One run of a scenario's one-to-one workload over WebSocket connections: open-loop Poisson arrivals at the target
 * rate between uniformly random pairs of users, drawn from the scenario's seed (same seed, same workload), each
 * message carrying its global index and intended send time in its body. Recipients acknowledge every message and
 * mark a seeded share as read; the {@link Oracle} checks all of it.
 *
 * <p>Everything runs on the single client I/O thread; the progress fields are read by the main thread.
 */
final class ScenarioRun implements WsConnection.Listener {
    static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);
    private static final long TICK_MICROS = 100;
    private static final long SETTLED_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Scenario scenario;
    private final WsConnection[] connections;
    private final long[] nextId;
    private final SplittableRandom arrivals;
    private final UnsafeBuffer body;
    private final Frame read = new Frame();
    private final Oracle oracle = new Oracle();
    private final Histogram send2deliver = new Histogram(MAX_MICROS, 3);
    private final Histogram send2ack = new Histogram(MAX_MICROS, 3);
    private final Histogram thisSecond = new Histogram(MAX_MICROS, 3);
    private final List<Histogram> perSecond = new ArrayList<>();
    private final List<long[]> timeline = new ArrayList<>();
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final long[] intendedNs;
    private int welcomes;
    private long startNs;
    private long measureStartNs;
    private long endNs;
    private long drainDeadlineNs;
    private long nextArrivalNs;
    private long secondStartNs;
    private long lastSettledCheckNs;
    private long sentThisSecond;
    private long deliveredThisSecond;
    private long windowSent;
    private ScheduledFuture<?> ticker;
    private volatile Progress progress = new Progress(0, 0, 0, 0, 0);

    /** What the progress line shows; published once per second. */
    record Progress(double elapsedSec, long sent, long delivered, long p99Micros, long errors) {}

    ScenarioRun(Scenario scenario) {
        this.scenario = scenario;
        connections = new WsConnection[scenario.users()];
        nextId = new long[scenario.users()];
        arrivals = new SplittableRandom(scenario.seed());
        body = new UnsafeBuffer(new byte[scenario.messages().bodyBytes()]);
        long expected = (long) (scenario.messages().ratePerSecond()
                        * (scenario.warmup().toMillis() + scenario.duration().toMillis())
                        / 1000.0
                        * 1.2)
                + 1024;
        intendedNs = new long[(int) Math.min(expected, Integer.MAX_VALUE - 8)];
    }

    void add(WsConnection connection) {
        connections[connection.index()] = connection;
    }

    CompletableFuture<Void> welcomed() {
        return welcomed;
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    Progress progress() {
        return progress;
    }

    void start(EventLoop loop) {
        loop.execute(() -> {
            startNs = System.nanoTime();
            measureStartNs = startNs + scenario.warmup().toNanos();
            endNs = measureStartNs + scenario.duration().toNanos();
            drainDeadlineNs = endNs + scenario.drain().toNanos();
            nextArrivalNs = startNs;
            secondStartNs = startNs;
            ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
        });
    }

    private void tick() {
        long now = System.nanoTime();
        if (now - secondStartNs >= 1_000_000_000L) {
            closeSecond(now);
        }
        if (now < endNs) {
            sendDue(now);
        } else if (now > drainDeadlineNs || (now - lastSettledCheckNs > SETTLED_CHECK_NS && settledAt(now))) {
            closeSecond(now);
            ticker.cancel(false);
            finished.complete(null);
        }
    }

    /** Whether everything has arrived; walks every message, so the drain asks at most every 10 ms. */
    private boolean settledAt(long now) {
        lastSettledCheckNs = now;
        return oracle.settled();
    }

    private void closeSecond(long now) {
        timeline.add(
                new long[] {timeline.size(), sentThisSecond, deliveredThisSecond, thisSecond.getValueAtPercentile(99)});
        perSecond.add(thisSecond.copy());
        Oracle.OracleCounts counts = oracle.counts();
        progress = new Progress(
                (now - startNs) / 1e9,
                counts.sent(),
                counts.delivered(),
                thisSecond.getValueAtPercentile(99),
                counts.sendErrors() + counts.receiptErrors());
        thisSecond.reset();
        sentThisSecond = 0;
        deliveredThisSecond = 0;
        secondStartNs += 1_000_000_000L;
    }

    /** Sends every arrival due by now: open loop, so a late tick sends a burst stamped with the intended times. */
    private void sendDue(long now) {
        int users = connections.length;
        double meanGapNs = 1e9 / scenario.messages().ratePerSecond();
        while (nextArrivalNs <= now && nextArrivalNs < endNs) {
            int sender = arrivals.nextInt(users);
            int recipient = arrivals.nextInt(users - 1);
            if (recipient >= sender) {
                recipient++;
            }
            long id = ++nextId[sender];
            int index = oracle.sent(sender, recipient, id);
            if (index < intendedNs.length) {
                intendedNs[index] = nextArrivalNs;
            }
            body.putLong(0, index);
            body.putLong(8, nextArrivalNs);
            WsConnection connection = connections[sender];
            connection.write(connection
                    .outFrame()
                    .reset(FrameType.SEND)
                    .id(id)
                    .toUser(WsClients.userOf(recipient))
                    .addEnvelope(1, EnvelopeType.PLAIN, body, 0, body.capacity()));
            sentThisSecond++;
            if (inWindow(nextArrivalNs)) {
                windowSent++;
            }
            nextArrivalNs += (long) (-Math.log(1 - arrivals.nextDouble()) * meanGapNs);
        }
        for (WsConnection connection : connections) {
            connection.flush();
        }
    }

    @Override
    public void onFrame(WsConnection connection, Frame frame) {
        long now = System.nanoTime();
        int me = connection.index();
        switch (frame.type()) {
            case WELCOME -> {
                if (++welcomes == connections.length) {
                    welcomed.complete(null);
                }
            }
            case ACK -> {
                int index = oracle.indexOf(me, frame.id());
                if (index >= 0) {
                    oracle.acked(index);
                    long intended = index < intendedNs.length ? intendedNs[index] : 0;
                    if (inWindow(intended)) {
                        send2ack.recordValue(Math.min(MAX_MICROS, (now - intended) / 1000));
                    }
                }
            }
            case MSG -> onMsg(connection, frame, now);
            case RECEIPT -> {
                int index = oracle.indexOf(me, frame.id());
                if (frame.kind() == ReceiptKind.DELIVERED) {
                    oracle.deliveredReceipt(index);
                } else {
                    oracle.readReceipt(index);
                }
            }
            case ERROR -> {
                int index = frame.hasId() ? oracle.indexOf(me, frame.id()) : -1;
                if (index >= 0) {
                    oracle.rejected(index);
                }
            }
            default -> {
                // pong and anything newer are not part of this workload
            }
        }
    }

    private void onMsg(WsConnection connection, Frame frame, long now) {
        int me = connection.index();
        long index = frame.bodies().getLong(frame.envelopeBodyOffset(0));
        long intended = frame.bodies().getLong(frame.envelopeBodyOffset(0) + 8);
        int sender = (int) (frame.fromUser() - 1);
        // Whether this recipient reads the message is a function of the seed and the message, not of timing.
        boolean readIt =
                unitInterval(scenario.seed() ^ index) < scenario.messages().readShare();
        boolean first = oracle.delivered((int) index, me, sender, frame.id(), readIt);
        long seq = frame.seq();
        long id = frame.id();
        if (first) {
            deliveredThisSecond++;
            long micros = Math.min(MAX_MICROS, (now - intended) / 1000);
            thisSecond.recordValue(micros);
            if (inWindow(intended)) {
                send2deliver.recordValue(micros);
            }
        }
        connection.write(connection.outFrame().reset(FrameType.RECV).seq(seq));
        if (first && readIt) {
            connection.write(
                    read.reset(FrameType.READ).from(WsClients.userOf(sender), 1).addId(id));
        }
    }

    /** SplitMix64's finaliser: a well-mixed value in [0, 1) from any long, without allocating. */
    private static double unitInterval(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return ((z ^ (z >>> 31)) >>> 11) * 0x1.0p-53;
    }

    private boolean inWindow(long intendedNs) {
        return intendedNs >= measureStartNs && intendedNs < endNs;
    }

    @Override
    public void onClosed(WsConnection connection) {
        if (!finished.isDone()) {
            welcomed.completeExceptionally(new IllegalStateException("connection " + connection.index() + " closed"));
            finished.completeExceptionally(new IllegalStateException("connection " + connection.index() + " closed"));
        }
    }

    @Override
    public void onError(WsConnection connection, Throwable cause) {
        welcomed.completeExceptionally(cause);
        finished.completeExceptionally(cause);
    }

    /** The run's measurements; call on the client I/O thread after {@link #finished()}. */
    RunOutcome outcome() {
        return new RunOutcome(
                oracle.counts(),
                windowSent,
                send2deliver.copy(),
                send2ack.copy(),
                List.copyOf(perSecond),
                List.copyOf(timeline),
                scenario.duration().toMillis() / 1000.0);
    }
}
