package io.switchboard.simulator.net;

import io.netty.channel.EventLoop;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameAddress;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.router.ConnectionRef;
import io.switchboard.core.router.Router;
import io.switchboard.core.transport.FrameOutbound;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Virtual devices that talk to the router itself, on the thread of a {@link DirectLoop}: each command goes to {@link
 * Router} as an I/O loop hands it over once it has decoded a frame, and what the router sends comes from the loop's
 * outbox as {@link FrameOutbound} calls, so no channel, framing or codec stands between a device and the core. The
 * session's server side is done here too, as {@code SessionHandler} does it: the token checked by the accounts on
 * hello, the router told when a session opens and closes, presence subscriptions cancelled with it. Rate limits are
 * not applied: they belong to the network's edge.
 *
 * <p>A connection's reference carries the device's slot and a session serial, so a frame finds its device without
 * any lookup and a frame for an ended session is dropped, as on a closed channel.
 *
 * <p>When the router cannot take a command, it waits in {@link RefusedCommands} with every later one, and all are
 * handed over again after the next outbox drain or tick: this thread never waits on a shard, which may be waiting for
 * this thread to drain its outbox.
 */
public final class DirectClients implements DeviceConnections {
    private static final long SLOT_MASK = (1L << DeviceSlots.SLOT_BITS) - 1;

    private final DirectLoop loop;
    private final Router router;
    private final AccountStore accounts;
    private final DeviceSlots slots;
    private final VirtualClients.Tokens tokens;
    private final VirtualClients.Listener listener;
    /** Per device: its session's connection reference, 0 while it has none. */
    private final long[] connections;
    /** Per device: the users whose presence its session follows, made on its first subscription. */
    private final LongHashSet[] subscriptions;

    private final ReceiptAcks receipts = new ReceiptAcks();
    /** Devices that owe a {@code receipt.ack}, sent at the next flush. */
    private final IntArrayList acksDue = new IntArrayList();

    private final RefusedCommands refused = new RefusedCommands();
    private final RefusedCommands.Retry retry = this::apply;
    private final Frame out = new Frame();
    private final Frame ack = new Frame();
    private final BinaryFrameEncoder encoder = new BinaryFrameEncoder();
    private final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer encodedView = new UnsafeBuffer(0, 0);
    private long sessions;

    DirectClients(
            int users,
            DeviceSlots slots,
            DirectLoop loop,
            Router router,
            AccountStore accounts,
            VirtualClients.Tokens tokens,
            VirtualClients.Listener listener) {
        this.slots = slots;
        this.loop = loop;
        this.router = router;
        this.accounts = accounts;
        this.tokens = tokens;
        this.listener = listener;
        this.connections = new long[slots.count(users)];
        this.subscriptions = new LongHashSet[connections.length];
    }

    @Override
    public EventLoop loop() {
        return loop.eventLoop();
    }

    @Override
    public void acknowledgeReceipts() {
        receipts.enable(connections.length);
    }

    @Override
    public long receiptsSentAgain() {
        return receipts.sentAgain();
    }

    @Override
    public boolean connected(int slot) {
        return connections[slot] != 0;
    }

    /** Zero: direct commands reach the router as calls and deliveries as outbox records, with no wire in between. */
    @Override
    public long bytesWritten() {
        return 0;
    }

    /** Zero, as {@link #bytesWritten()}. */
    @Override
    public long bytesRead() {
        return 0;
    }

    /** Says hello: the accounts check the device's token, and the router opens its session and answers welcome. */
    @Override
    public void connect(int slot) {
        long user = VirtualClients.userOf(slots.user(slot));
        int device = slots.device(slot);
        long connection = ConnectionRef.of((++sessions << DeviceSlots.SLOT_BITS) | slot, loop.index());
        byte[] token = tokens.token(user, device).getBytes(StandardCharsets.US_ASCII);
        if (!accounts.openSession(user, device, token, token.length, connection)) {
            listener.onError(slot, new IllegalStateException("user " + user + " device " + device + ": wrong token"));
            return;
        }
        connections[slot] = connection;
        receipts.sessionStarted(slot);
        command(RefusedCommands.OPEN, slot, connection, receipts.enabled() ? 1 : 0, null);
    }

    @Override
    public void write(int slot, Frame frame) {
        long connection = connections[slot];
        if (connection == 0) {
            throw new IllegalStateException("device slot " + slot + " has no session to write to");
        }
        if (frame.type() == FrameType.SUB) {
            if (subscriptions[slot] == null) {
                subscriptions[slot] = new LongHashSet();
            }
            subscriptions[slot].add(frame.user());
        } else if (frame.type() == FrameType.UNSUB && subscriptions[slot] != null) {
            subscriptions[slot].remove(frame.user());
        }
        command(RefusedCommands.FRAME, slot, connection, 0, frame);
    }

    /** Hands the router the commands that waited, then the {@code receipt.ack}s owed since the last flush. */
    @Override
    public void flushWritten() {
        if (!refused.isEmpty()) {
            refused.retry(retry);
        }
        for (int i = 0, n = acksDue.size(); i < n; i++) {
            int slot = acksDue.getInt(i);
            long rseq = receipts.acknowledge(slot);
            if (rseq != 0 && connections[slot] != 0) {
                command(
                        RefusedCommands.FRAME,
                        slot,
                        connections[slot],
                        0,
                        ack.reset(FrameType.RECEIPT_ACK).rseq(rseq));
            }
        }
        acksDue.clear();
    }

    @Override
    public boolean pushedBack(int slot) {
        return !refused.isEmpty();
    }

    @Override
    public Frame outFrame() {
        return out;
    }

    /** Ends the session after every command written before: the router hears the close behind them. */
    @Override
    public void close(int slot) {
        receipts.closeSent(slot);
        end(slot, true);
    }

    @Override
    public void closeAll() {
        for (int slot = 0; slot < connections.length; slot++) {
            end(slot, false);
        }
    }

    /** A frame from the router for {@code connection}, valid during the call only. */
    void deliver(long connection, Frame frame) {
        int slot = (int) ((connection >>> ConnectionRef.LOOP_BITS) & SLOT_MASK);
        if (connections[slot] != connection) {
            return;
        }
        boolean wasDue = receipts.due(slot);
        if (receipts.take(slot, frame)) {
            listener.onFrame(slot, frame);
        }
        if (!wasDue && receipts.due(slot)) {
            acksDue.addInt(slot);
        }
    }

    /** The router ended the session ({@code replaced} or {@code auth}): the device hears why, then the close. */
    void closedByServer(long connection, ErrorCode code, String message) {
        int slot = (int) ((connection >>> ConnectionRef.LOOP_BITS) & SLOT_MASK);
        if (connections[slot] == connection) {
            listener.onFrame(slot, FrameOutbound.error(ack, code, 0, message, 0, 0));
            end(slot, true);
        }
    }

    /** The server's side of a session's end: what a channel's close does in {@code SessionHandler}. */
    private void end(int slot, boolean notify) {
        long connection = connections[slot];
        if (connection == 0) {
            return;
        }
        connections[slot] = 0;
        accounts.sessionClosed(VirtualClients.userOf(slots.user(slot)), slots.device(slot), connection);
        command(RefusedCommands.CLOSE, slot, connection, 0, null);
        LongHashSet followed = subscriptions[slot];
        if (followed != null) {
            for (LongHashSet.LongIterator it = followed.iterator(); it.hasNext(); ) {
                command(RefusedCommands.UNSUBSCRIBE, slot, connection, it.nextValue(), null);
            }
            followed.clear();
        }
        if (notify) {
            loop.eventLoop().execute(() -> listener.onClosed(slot));
        }
    }

    /** Hands one command to the router, or keeps it behind those that wait. */
    private void command(int kind, int slot, long connection, long argument, Frame frame) {
        if (!refused.isEmpty() || !apply(kind, slot, connection, argument, frame)) {
            try {
                refused.add(kind, slot, connection, argument, frame);
            } catch (IllegalStateException farPastCapacity) {
                listener.onError(slot, farPastCapacity);
            }
        }
    }

    /** Hands one command to the router: false, counted as an inbox refusal, when it cannot take it now. */
    private boolean apply(int kind, int slot, long connection, long argument, Frame frame) {
        long user = VirtualClients.userOf(slots.user(slot));
        int device = slots.device(slot);
        boolean taken = switch (kind) {
            case RefusedCommands.OPEN -> router.open(user, device, connection, argument != 0);
            case RefusedCommands.CLOSE -> router.close(user, device, connection);
            case RefusedCommands.UNSUBSCRIBE -> router.unsubscribe(argument, connection);
            default -> dispatch(user, device, connection, frame);
        };
        if (!taken) {
            loop.counters().increment(LoopCounter.INBOX_REFUSALS);
        }
        return taken;
    }

    /** What {@code SessionHandler} does with a decoded frame of an open session, through the same router calls. */
    private boolean dispatch(long user, int device, long connection, Frame frame) {
        if (FrameAddress.isControl(frame)) {
            // Group, presence and typing commands travel to their owner in sb.bin.v1, which the owner decodes.
            int length = encoder.encode(frame, encoded, 0);
            encodedView.wrap(encoded, 0, length);
            return router.control(user, device, connection, frame, encodedView, System.nanoTime());
        }
        return switch (frame.type()) {
            case SEND -> router.send(user, device, connection, frame, System.nanoTime());
            case RECV -> router.recv(user, device, frame.seq());
            case RECEIPT_ACK -> router.receiptAck(user, device, frame.rseq());
            case READ -> router.read(user, device, frame);
            default ->
                throw new IllegalArgumentException(
                        "'" + frame.type().wireName() + "' is no command of the direct transport");
        };
    }
}
