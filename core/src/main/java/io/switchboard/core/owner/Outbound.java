package io.switchboard.core.owner;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;

/**
 * What the session logic sends to connections, named by connection reference. The sharded router writes these as
 * records into the outbox ring of the connection's I/O loop; the locked router encodes and writes them to the
 * channel at once. A connection that is gone by the time the frame would be written simply drops it: whatever must
 * survive (queued messages) is still held by the session logic.
 */
public interface Outbound {
    void ack(long connection, long id, long ts);

    /** A one-to-one message for a device. */
    void msg(long connection, MsgView msg);

    /** A one-to-one message's receipt; {@code rseq} 0 when the session does not acknowledge receipts. */
    void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq);

    /** An error about one send or frame; {@code id} 0 when it concerns no message; masks for {@code devices}. */
    void error(long connection, ErrorCode code, long id, String message, long missingDevices, long extraDevices);

    /** Sends {@code replaced} and closes the connection with the policy-violation close code. */
    void replaced(long connection);

    /**
     * Sends {@code auth} and closes the connection with the policy-violation close code: its device was removed from
     * its account.
     */
    void revoked(long connection);

    /**
     * Any other frame, built by the caller in a scratch {@link Frame} it owns: group results and events, group
     * messages and receipts, presence and typing. Encoded before the call returns, so the caller may reuse the frame.
     */
    void frame(long connection, Frame frame);
}
