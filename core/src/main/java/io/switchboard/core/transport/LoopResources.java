package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.LimitsContext;
import io.switchboard.core.limits.AddressLimits;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LatencyRecorder;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameText;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.router.IoLoop;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What one I/O loop owns: its connections by reference, a decoder and frame for what they send, the writer the
 * router's outbox drain uses, the batch of connections written to since the last flush, and the HTTP rate limits of
 * the addresses it serves. Only the loop's thread touches it, so none of it needs a lock.
 */
final class LoopResources implements IoLoop, ConnectionLookup, ChannelOutbound.FlushBatch {
    private final int index;
    private final EventLoop eventLoop;
    private final Long2ObjectHashMap<SessionHandler> connections = new Long2ObjectHashMap<>();
    private final JsonFrameDecoder jsonDecoder = new JsonFrameDecoder();
    private final BinaryFrameDecoder binaryDecoder = new BinaryFrameDecoder();
    private final BinaryFrameEncoder binaryEncoder = new BinaryFrameEncoder();
    private final ExpandableArrayBuffer binary = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer binaryView = new UnsafeBuffer(0, 0);
    private final Frame frame = new Frame();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(4096);
    private final byte[] token = new byte[256];
    private final ChannelOutbound writer = new ChannelOutbound(this, false, this);
    private final ArrayList<SessionHandler> written = new ArrayList<>();
    private final CounterSet<LoopCounter> counters;
    private final LatencyRecorder commandLatency;
    private final AddressLimits addressLimits;
    /** The loop's own executor, whose queued tasks it counts; null for a loop that cannot say (a test's). */
    private final SingleThreadEventExecutor tasks;

    private final int highTasks;

    /**
     * @param timeCommands record command latency here (locked routing applies commands on this thread)
     */
    LoopResources(
            int index,
            EventLoop eventLoop,
            ServerMetrics metrics,
            boolean timeCommands,
            LimitsContext limits,
            int highTasks) {
        this.index = index;
        this.eventLoop = eventLoop;
        this.tasks = eventLoop instanceof SingleThreadEventExecutor executor ? executor : null;
        this.highTasks = highTasks;
        this.addressLimits = new AddressLimits(limits, SystemNanoClock.INSTANCE);
        String loop = Integer.toString(index);
        this.counters = metrics.newLoopCounters(loop);
        this.commandLatency =
                timeCommands && metrics.enabled() ? metrics.newCommandLatency(ServerMetrics.LOOP_TAG, loop) : null;
    }

    @Override
    public CounterSet<LoopCounter> counters() {
        return counters;
    }

    /** Where this loop records command latency, or null when it does not. */
    LatencyRecorder commandLatency() {
        return commandLatency;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public Executor executor() {
        return eventLoop;
    }

    @Override
    public ChannelOutbound writer() {
        return writer;
    }

    Frame frame() {
        return frame;
    }

    /**
     * Whether more than {@code transport.loopHighTasks} tasks wait on this loop: with locked routing, frames queued to
     * its channels (one task each), reads of in-process channels. New sends would only add to what it has not yet
     * written. One read of the task queue's indices.
     */
    boolean behind() {
        return tasks != null && tasks.pendingTasks() > highTasks;
    }

    /** Decodes a frame's bytes in {@code codec} in place when they are contiguous, else from a copy. */
    void decode(ByteBuf content, Frame into, WireCodec codec) {
        int length = content.readableBytes();
        if (content.hasMemoryAddress()) {
            view.wrap(content.memoryAddress() + content.readerIndex(), length);
        } else if (content.hasArray()) {
            view.wrap(content.array(), content.arrayOffset() + content.readerIndex(), length);
        } else {
            copy.checkLimit(length);
            content.getBytes(content.readerIndex(), copy.byteArray(), 0, length);
            view.wrap(copy.byteArray(), 0, length);
        }
        if (codec == WireCodec.BINARY) {
            binaryDecoder.decode(view, 0, length, into);
        } else {
            jsonDecoder.decode(view, 0, length, into);
        }
    }

    /**
     * The frame decoded last as sb.bin.v1, valid until the next decode: its own bytes when it came in binary, else
     * encoded now. Control frames cross to their owner in binary whatever the client speaks: the owner thread decodes
     * the cheaper encoding, and only the JSON connections pay for a (cheap) binary encode on their own I/O loop.
     */
    DirectBuffer decodedBinary(Frame frame, WireCodec codec) {
        if (codec == WireCodec.BINARY) {
            return view;
        }
        binaryView.wrap(binary, 0, binaryEncoder.encode(frame, binary, 0));
        return binaryView;
    }

    /** Verifies the hello's token and records {@code connection} as the device's session. */
    boolean openSession(AccountStore accounts, Frame hello, long connection) {
        FrameText text = hello.token();
        int length = text.length();
        for (int i = 0; i < length; i++) {
            token[i] = text.byteAt(i);
        }
        return accounts.openSession(hello.user(), hello.device(), token, length, connection);
    }

    /** Takes one HTTP request of {@code kind} from {@code remote}: 0, or nanoseconds until it may (then counted). */
    long takeAddressLimit(LimitKind kind, SocketAddress remote) {
        long waitNs = addressLimits.take(kind, remote);
        if (waitNs != 0) {
            counters.increment(LoopCounter.refused(kind));
        }
        return waitNs;
    }

    void register(SessionHandler handler) {
        connections.put(handler.connection(), handler);
    }

    void unregister(SessionHandler handler) {
        connections.remove(handler.connection());
    }

    @Override
    public SessionHandler find(long connection) {
        return connections.get(connection);
    }

    @Override
    public void add(SessionHandler connection) {
        if (!connection.flushQueued) {
            connection.flushQueued = true;
            written.add(connection);
        }
    }

    @Override
    public void writeEncoded(long connection, DirectBuffer binary, int offset, int length) {
        writer.encoded(connection, binary, offset, length);
    }

    @Override
    public void flushWritten() {
        for (int i = 0, n = written.size(); i < n; i++) {
            SessionHandler connection = written.get(i);
            connection.flushQueued = false;
            connection.flush();
        }
        written.clear();
    }
}
