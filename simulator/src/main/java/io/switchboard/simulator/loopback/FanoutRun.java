package io.switchboard.simulator.loopback;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The live phase of a fan-out measurement: connection 0 is the sender, the others are the members; the sender creates
 * the group, then sends group messages on a 100 µs tick at their scheduled times, each carrying its intended send
 * time, so send→deliver (every member) and send→ack latencies count from when it should have left (no coordinated
 * omission). Members acknowledge everything with {@code recv}.
 *
 * <p>Every method runs on the single client I/O thread; results are read after {@link #finished()} completes.
 */
final class FanoutRun implements VirtualClients.Listener {
    static final String GROUP = "fanout";
    private static final long TICK_MICROS = 100;
    private static final int ID_RING = 1 << 16;

    private final FanoutSpec spec;
    private final int members;
    final Deliveries deliveries;
    private VirtualClients clients;
    private final long[] intendedById = new long[ID_RING];
    private final UnsafeBuffer body;
    final Histogram sendToAck = new Histogram(Deliveries.MAX_MICROS, 3);
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Void> created = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private int welcomes;
    private long startNs;
    private long measureStartNs;
    private long endNs;
    private long drainDeadlineNs;
    private ScheduledFuture<?> ticker;
    /** Opens after the warm-up, closes when sending ends. */
    private final MeasuredWindow window;

    long sent;
    long acked;
    long errors;
    String firstError;

    FanoutRun(FanoutSpec spec, MeasuredWindow.Listener measured) {
        this.spec = spec;
        window = new MeasuredWindow(measured);
        members = spec.groupSize();
        deliveries = new Deliveries(spec.groupSize());
        body = new UnsafeBuffer(new byte[spec.bodyBytes()]);
    }

    void attach(VirtualClients clients) {
        this.clients = clients;
    }

    CompletableFuture<Void> welcomed() {
        return welcomed;
    }

    CompletableFuture<Void> created() {
        return created;
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    /** The sender creates the group with every other connection's user. */
    void create(EventLoop loop) {
        loop.execute(() -> {
            clients.write(0, createFrame(clients.outFrame(), members));
            clients.flushWritten();
        });
    }

    /** Connection 0 creates the group with the users of connections 1..members-1. */
    static Frame createFrame(Frame frame, int members) {
        frame.reset(FrameType.GROUP_CREATE).req(1).group(GROUP);
        for (int i = 1; i < members; i++) {
            frame.addMember(VirtualClients.userOf(i));
        }
        return frame;
    }

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
        } else if ((acked == sent && deliveries.delivered >= acked * (members - 1)) || now > drainDeadlineNs) {
            ticker.cancel(false);
            finished.complete(null);
        }
    }

    private void sendDue(long now) {
        double rate = spec.messagesPerSecond();
        long due = (long) ((now - startNs) / 1e9 * rate);
        for (; sent < due; sent++) {
            long intended = startNs + (long) (sent * 1e9 / rate);
            long id = sent + 1;
            intendedById[(int) (id & (ID_RING - 1))] = intended;
            body.putLong(0, intended);
            body.putLong(8, id);
            clients.write(
                    0,
                    clients.outFrame()
                            .reset(FrameType.SEND)
                            .id(id)
                            .toGroup(GROUP)
                            .addEnvelope(0, EnvelopeType.SKMSG, body, 0, body.capacity()));
        }
        clients.flushWritten();
    }

    @Override
    public void onFrame(int connection, Frame frame) {
        long now = System.nanoTime();
        switch (frame.type()) {
            case WELCOME -> {
                if (++welcomes == members) {
                    welcomed.complete(null);
                }
            }
            case RESULT -> {
                if (frame.ok()) {
                    created.complete(null);
                } else {
                    created.completeExceptionally(new IllegalStateException("group.create refused: " + frame));
                }
            }
            case ACK -> {
                acked++;
                long intended = intendedById[(int) (frame.id() & (ID_RING - 1))];
                if (deliveries.inWindow(intended)) {
                    Deliveries.record(sendToAck, intended, now);
                }
            }
            case MSG -> onMsg(connection, frame, now);
            case ERROR -> onError(connection, new IllegalStateException(frame.toString()));
            default -> {
                // Group events and receipts are expected and not measured here.
            }
        }
    }

    private void onMsg(int member, Frame frame, long now) {
        deliveries.onMsg(member, frame, now);
        clients.write(member, clients.outFrame().reset(FrameType.RECV).seq(frame.seq()));
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
        created.completeExceptionally(cause);
    }

    /** Member deliveries of messages sent in the window, per second of the window (or until the last of them). */
    double achievedDeliveriesPerSecond() {
        return deliveries.achievedPerSecond(spec.duration());
    }

    /** Member deliveries owed for acknowledged messages and never seen. */
    long lost() {
        return Math.max(0, acked * (members - 1) - deliveries.delivered);
    }
}
