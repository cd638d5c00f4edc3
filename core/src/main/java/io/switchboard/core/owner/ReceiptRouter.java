package io.switchboard.core.owner;

import io.switchboard.core.protocol.ReceiptKind;

/**
 * Carries a receipt to whoever owns the sending user's state (another shard, or another lock stripe), which either
 * delivers it to the sending device or keeps it until that device returns.
 */
@FunctionalInterface
public interface ReceiptRouter {
    /** {@code group}: the receipt is one member's part of a group message's delivery list. */
    void route(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, boolean group);
}
