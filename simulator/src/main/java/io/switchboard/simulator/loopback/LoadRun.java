package io.switchboard.simulator.loopback;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The state of one loopback run: connection 0..P-1 send, connection P..2P-1 receive, sender i writes only to
 * recipient i. Messages leave on a 100 µs tick at their scheduled times; each carries its intended send time in its
 * body, so send→deliver latency is measured from when it should have left, not from when the client got round to it.
 *
 * <p>Every method runs on the single client I/O thread; results are read after {@link #finished()} completes.
 */
final class LoadRun implements VirtualClients.Listener {
    /** In-flight sends tracked per sender for the ack latency; older entries are overwritten (and not recorded). */
    private static final int ID_RING = 1 << 16;
    /** Sends leave in batches this often; a message waits up to one tick, and that wait counts in its latency. */
    private static final long TICK_MICROS = 100;

    private final LoadSpec spec;
    private VirtualClients clients;
    private final long[] nextId;
    private final long[][] intendedById;
    private final Deliveries deliveries;
    private final UnsafeBuffer body;
    private final Histogram sendToAck = new Histogram(Deliveries.MAX_MICROS, 3);
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private long startNs;
    private long measureStartNs;
    private long endNs;
    private long drainDeadlineNs;
    private ScheduledFuture<?> ticker;
    /** Opens after the warm-up, closes when sending ends. */
    private final MeasuredWindow window;

    private int welcomes;
    private long sent;
    private long acked;
    private long errors;
    private String firstError;

    LoadRun(LoadSpec spec, MeasuredWindow.Listener measured) {
        this.spec = spec;
        window = new MeasuredWindow(measured);
        int pairs = spec.pairs();
        nextId = new long[pairs];
        intendedById = new long[pairs][ID_RING];
        deliveries = new Deliveries(pairs);
        body = new UnsafeBuffer(new byte[spec.bodyBytes()]);
    }

    void attach(VirtualClients clients) {
        this.clients = clients;
    }

    CompletableFuture<Void> welcomed() {
        return welcomed;
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    /** Starts sending on {@code loop}, the client I/O thread every connection runs on. */
    void start(EventLoop loop) {
        loop.execute(() -> {
            startNs = System.nanoTime();
            measureStartNs = startNs + spec.warmup().toNanos();
            endNs = measureStartNs + spec.duration().toNanos();
            deliveries.window(measureStartNs, endNs);
            window.set(measureStartNs, endNs);
            drainDeadlineNs = endNs + spec.drain().toNanos();
            ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
        });
    }

    private void tick() {
        long now = System.nanoTime();
        window.at(now);
        if (now < endNs) {
            sendDue(now);
        } else if ((acked == sent && deliveries.delivered >= acked) || now > drainDeadlineNs) {
            ticker.cancel(false);
            finished.complete(null);
        }
    }

    private void sendDue(long now) {
        int pairs = spec.pairs();
        long rate = spec.ratePerSecond();
        long due = (now - startNs) * rate / 1_000_000_000L;
        for (; sent < due; sent++) {
            long intended = startNs + sent * 1_000_000_000L / rate;
            int sender = (int) (sent % pairs);
            long id = ++nextId[sender];
            intendedById[sender][(int) (id & (ID_RING - 1))] = intended;
            body.putLong(0, intended);
            body.putLong(8, id);
            Frame frame = clients.outFrame()
                    .reset(FrameType.SEND)
                    .id(id)
                    .toUser(VirtualClients.userOf(pairs + sender))
                    .addEnvelope(1, EnvelopeType.PLAIN, body, 0, body.capacity());
            clients.write(sender, frame);
        }
        clients.flushWritten();
    }

    @Override
    public void onFrame(int connection, Frame frame) {
        long now = System.nanoTime();
        switch (frame.type()) {
            case WELCOME -> {
                if (++welcomes == 2 * spec.pairs()) {
                    welcomed.complete(null);
                }
            }
            case ACK -> {
                acked++;
                long intended = intendedById[connection][(int) (frame.id() & (ID_RING - 1))];
                if (deliveries.inWindow(intended)) {
                    Deliveries.record(sendToAck, intended, now);
                }
            }
            case MSG -> onMsg(connection, frame, now);
            case ERROR -> {
                errors++;
                if (firstError == null) {
                    firstError = frame.toString();
                }
            }
            default -> {
                // Receipts are expected and not measured here.
            }
        }
    }

    private void onMsg(int connection, Frame frame, long now) {
        deliveries.onMsg(connection - spec.pairs(), frame, now);
        clients.write(connection, clients.outFrame().reset(FrameType.RECV).seq(frame.seq()));
    }

    @Override
    public void onClosed(int connection) {
        if (!finished.isDone()) {
            onError(connection, new IllegalStateException("connection " + connection + " closed"));
        }
    }

    @Override
    public void onError(int connection, Throwable cause) {
        errors++;
        if (firstError == null) {
            firstError = String.valueOf(cause);
        }
        welcomed.completeExceptionally(cause);
    }

    /**
     * Achieved throughput: messages sent in the measured window and delivered, divided by the time from the window's
     * start to the last such delivery. Equal to the offered rate when the server keeps up; lower when it falls behind.
     */
    LoadResult result(String variant, Map<String, String> settings) {
        return new LoadResult(
                variant,
                settings,
                spec,
                deliveries.achievedPerSecond(spec.duration()),
                deliveries.sendToDeliver,
                sendToAck,
                sent,
                acked,
                deliveries.delivered,
                deliveries.duplicates,
                errors,
                firstError);
    }
}
