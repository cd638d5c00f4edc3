package io.switchboard.simulator.net;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.router.EmbeddedLoop;
import io.switchboard.core.router.IoLoop;
import io.switchboard.core.router.Router;
import io.switchboard.core.transport.FrameOutbound;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;

/**
 * The direct transport's thread: an I/O loop of the server's router ({@link EmbeddedLoop}) that is the virtual
 * clients' own thread. The router writes what it sends the clients' connections into this loop's outbox ring and
 * wakes it, as it wakes a Netty loop; the outbox drain, run here, calls {@link #writer()}, which hands each record to
 * {@link DirectClients} as a frame, without encoding it. Frames that an owner encoded already as sb.json.v1 text (group,
 * presence and typing traffic, and {@code welcome}) are decoded here. Pass it to the server when starting it, then to
 * a {@link ClientLoop}.
 */
public final class DirectLoop implements EmbeddedLoop, IoLoop, AutoCloseable {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("switchboard-direct-clients"), YieldingIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Deliveries writer = new Deliveries();
    private final BinaryFrameDecoder decoder = new BinaryFrameDecoder();
    private final Frame encoded = new Frame();
    private int index = -1;
    private CounterSet<LoopCounter> counters;
    /** Set before any of its devices connects, so before the router writes anything here. */
    private DirectClients clients;

    @Override
    public IoLoop attach(int index, CounterSet<LoopCounter> counters) {
        if (this.index >= 0) {
            throw new IllegalStateException("this direct loop is attached to a server already");
        }
        this.index = index;
        this.counters = counters;
        return this;
    }

    /** The population of {@code users} virtual users' devices on this loop, talking to {@code router}. */
    DirectClients clients(
            int users,
            DeviceSlots slots,
            Router router,
            AccountStore accounts,
            VirtualClients.Tokens tokens,
            VirtualClients.Listener listener) {
        if (index < 0) {
            throw new IllegalStateException("start the server with this direct loop first");
        }
        clients = new DirectClients(users, slots, this, router, accounts, tokens, listener);
        return clients;
    }

    EventLoop eventLoop() {
        return loop;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public Outbound writer() {
        return writer;
    }

    /** The end of an outbox drain: the clients hand the router what they wrote meanwhile. */
    @Override
    public void flushWritten() {
        clients.flushWritten();
    }

    @Override
    public void writeEncoded(long connection, DirectBuffer binary, int offset, int length) {
        decoder.decode(binary, offset, length, encoded);
        clients.deliver(connection, encoded);
    }

    @Override
    public CounterSet<LoopCounter> counters() {
        return counters;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The outbox drain's writer: each frame to its device, and the ends of sessions the router decides. */
    private final class Deliveries extends FrameOutbound {
        @Override
        protected void deliver(long connection, Frame frame) {
            clients.deliver(connection, frame);
        }

        @Override
        public void replaced(long connection) {
            clients.closedByServer(connection, ErrorCode.REPLACED, "this device connected again elsewhere");
        }

        @Override
        public void revoked(long connection) {
            clients.closedByServer(connection, ErrorCode.AUTH, "this device was removed from its account");
        }
    }
}
