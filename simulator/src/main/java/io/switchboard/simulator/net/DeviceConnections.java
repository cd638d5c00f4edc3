package io.switchboard.simulator.net;

import io.netty.channel.EventLoop;
import io.switchboard.core.protocol.Frame;

/**
 * A population of virtual devices' connections to the server, numbered by {@link DeviceSlots} slot, whatever the
 * transport: WebSocket ({@link VirtualClients}, over loopback or in-process channels) or straight to the router
 * ({@link DirectClients}). What they hear goes to a {@link VirtualClients.Listener}. Not thread-safe: call it on
 * {@link #loop()} only.
 */
public interface DeviceConnections {
    /** The thread the devices live on. */
    EventLoop loop();

    /**
     * From now on every device says hello with {@code receiptAcks}: the server keeps each receipt until the device
     * acknowledges it and sends it again on the next session otherwise, so that no receipt is lost with a connection
     * that closes. The connections do the client's part: they pass on only receipts with an rseq above the highest the
     * device took (counting the others as {@link #receiptsSentAgain}), and acknowledge them once per read batch. Costs 9
     * bytes per device. Call before the first {@link #connect}.
     */
    void acknowledgeReceipts();

    /** Receipts the server sent again because their first sending was not acknowledged (with receipt acks only). */
    long receiptsSentAgain();

    /** Payload bytes every device wrote so far, as frames encoded for the wire (before any transport framing). */
    long bytesWritten();

    /** Payload bytes every device read so far. */
    long bytesRead();

    /** Opens the device's session; the server's {@code welcome} says when it is open. */
    void connect(int slot);

    /** Whether the device is connected now: its session open, until it closes. */
    boolean connected(int slot);

    /** Sends {@code frame} from the device, without flushing; {@link #flushWritten()} flushes. */
    void write(int slot, Frame frame);

    /** Flushes every connection written to since the last call. */
    void flushWritten();

    /**
     * Whether the device's new sends must wait: what it wrote before has not been taken yet (a socket whose unsent
     * bytes passed its write buffer's high mark because the server stopped reading it; direct commands the router
     * refused, which hold every device's behind them). The workload holds its arrivals meanwhile and sends them later
     * stamped with their intended times, so the wait counts in their latency and in the send lag, and nothing queues
     * without bound on this side.
     */
    boolean pushedBack(int slot);

    /** A reusable frame for what a device sends next. */
    Frame outFrame();

    /**
     * Ends the session the way a client should: after everything written, so the server acts on every frame before
     * it; the listener hears {@code onClosed} once it is closed.
     */
    void close(int slot);

    /** Closes every connection at once (end of run). */
    void closeAll();
}
