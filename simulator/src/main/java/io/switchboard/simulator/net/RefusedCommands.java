package io.switchboard.simulator.net;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The direct transport's commands that the router could not take yet (a full ring), in the order they were given, to
 * be handed over again before any later one: what a socket client's unsent bytes are while the server stops reading.
 * A frame is kept as its sb.json.v1 text, so JSON is paid only by commands that had to wait, never on the way of a
 * command the router takes at once. Bounded: the workload sends nothing new while commands wait ({@link
 * DeviceConnections#pushedBack}), so what waits is what one tick or one outbox drain wrote (their {@code recv}s); past
 * {@link #MAX_BYTES} something writes without looking, and {@link #add} says so. Not thread-safe.
 *
 * <pre>
 *  kind:i32 slot:i32 connection:i64 argument:i64 frame:sb.json.v1 (FRAME only)
 * </pre>
 */
final class RefusedCommands {
    /** The most bytes held: 64 MiB, about 200,000 waiting sends of 100 bytes. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    static final int FRAME = 0;
    static final int OPEN = 1;
    static final int CLOSE = 2;
    static final int UNSUBSCRIBE = 3;

    private static final int KIND = 0;
    private static final int SLOT = 4;
    private static final int CONNECTION = 8;
    private static final int ARGUMENT = 16;
    private static final int TEXT = 24;

    /** Hands a command to the router again: false when it still cannot take it. */
    interface Retry {
        boolean apply(int kind, int slot, long connection, long argument, Frame frame);
    }

    private final ExpandableRingBuffer held = new ExpandableRingBuffer(64 * 1024, MAX_BYTES, false);
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(1024);
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();
    private final JsonFrameDecoder decoder = new JsonFrameDecoder();
    private final Frame frame = new Frame();
    private Retry retry;
    private boolean stalled;
    private final ExpandableRingBuffer.MessageConsumer next = this::next;

    boolean isEmpty() {
        return held.isEmpty();
    }

    /**
     * Keeps a command after every one kept before it; {@code frame} only with {@link #FRAME}.
     *
     * @throws IllegalStateException past {@link #MAX_BYTES}
     */
    void add(int kind, int slot, long connection, long argument, Frame frame) {
        record.putInt(KIND, kind);
        record.putInt(SLOT, slot);
        record.putLong(CONNECTION, connection);
        record.putLong(ARGUMENT, argument);
        int length = TEXT + (frame == null ? 0 : encoder.encode(frame, record, TEXT));
        if (!held.append(record, 0, length)) {
            throw new IllegalStateException("the router refused commands until " + (MAX_BYTES >> 20)
                    + " MiB of them waited: something writes without asking whether the connections are pushed back");
        }
    }

    /** Hands the kept commands to {@code retry} in order until it refuses one, which stays first. */
    void retry(Retry retry) {
        this.retry = retry;
        stalled = false;
        while (!stalled && !held.isEmpty()) {
            held.consume(next, Integer.MAX_VALUE);
        }
    }

    private boolean next(MutableDirectBuffer buffer, int offset, int length, int headOffset) {
        int kind = buffer.getInt(offset + KIND);
        Frame command = null;
        if (kind == FRAME) {
            decoder.decode(buffer, offset + TEXT, length - TEXT, frame);
            command = frame;
        }
        boolean taken = retry.apply(
                kind,
                buffer.getInt(offset + SLOT),
                buffer.getLong(offset + CONNECTION),
                buffer.getLong(offset + ARGUMENT),
                command);
        stalled = !taken;
        return taken;
    }
}
