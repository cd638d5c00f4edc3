package io.switchboard.core.router;

import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.protocol.Frame;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;

/**
 * Takes a connection's commands to the owners of the users' state. Every method is called on the connection's I/O
 * thread, in the order the connection's frames arrived, and returns false when the router cannot take the command
 * now (a full ring): the caller keeps the command, stops reading from that connection and retries later, so nothing
 * is dropped and a flood cannot grow memory.
 */
public interface Router extends AutoCloseable {
    /** Starts the router's threads, if it has any. */
    void start();

    /** A device completed hello on {@code connection}, asking for acknowledged receipts or not. */
    boolean open(long user, int device, long connection, boolean receiptAcks);

    /** The connection of that device's session closed. */
    boolean close(long user, int device, long connection);

    /**
     * A one-to-one {@code send} frame from the device, decoded at {@code decodedNs} ({@link System#nanoTime()}), from
     * which the owner measures command latency.
     */
    boolean send(long user, int device, long connection, Frame send, long decodedNs);

    /** A {@code recv} acknowledging {@code seq}. */
    boolean recv(long user, int device, long seq);

    /** A {@code receipt.ack}: the device has every receipt up to {@code rseq}. */
    boolean receiptAck(long user, int device, long rseq);

    /** A {@code read} frame: the user read these ids of the named sending device. */
    boolean read(long user, int device, Frame read);

    /**
     * A group request, group send, presence subscription or typing frame (see {@link io.switchboard.core.protocol.FrameAddress#isControl}), decoded at
     * {@code decodedNs}; {@code binary} holds exactly the frame as sb.bin.v1, whatever the client speaks, for routers that
     * pass it on.
     */
    boolean control(long user, int device, long connection, Frame frame, DirectBuffer binary, long decodedNs);

    /**
     * The device was removed from its account, which no longer verifies its token nor lists it in its device mask: its
     * session, if it has one, gets {@code auth} and is closed, and the messages queued and receipts held for it are
     * dropped. Called from any thread (the HTTP request that removed it); false, as for every command, when the router
     * cannot take it now.
     */
    boolean removeDevice(long user, int device);

    /** The connection closed: stop sending it the presence of {@code user}. */
    boolean unsubscribe(long user, long connection);

    /**
     * Not a command: tells a visitor from {@code visitors}, one per owner of state, what that owner still holds
     * ({@link io.switchboard.core.owner.Owner#visitHeld}), on the owner's own terms (its thread, or under its lock), and
     * returns once every owner is done. Read-only; each owner is held for the length of its walk. Called from a thread
     * that is neither an owner nor an I/O thread (the load generator's, at the end of a run).
     *
     * @throws IllegalStateException when an owner failed to walk, or did not within {@code timeoutMs}
     */
    void visitHeld(Supplier<? extends HeldVisitor> visitors, long timeoutMs) throws InterruptedException;

    /** Stops the router's threads. Idempotent. */
    @Override
    void close();
}
