package io.switchboard.core.owner;

import io.switchboard.core.protocol.ReceiptKind;

/**
 * What an owner still holds for its devices, told entry by entry by {@link Owner#visitHeld}: every message queue entry
 * (a device has not acknowledged it) and every receipt a sending device does not have yet; and the last reads it
 * ignored after forgetting unread messages past its bounds, whose read receipts never come. {@code written} says
 * whether the entry went out on the device's current session and awaits its acknowledgement ({@code recv}, {@code
 * receipt.ack}); otherwise the server still holds it unsent: the device is offline, or the delivery window has not
 * reached it. A load generator asks this at the end of a run to tell what the server still holds from what it lost.
 *
 * <p>Called on the owner's thread (a shard, or the caller holding a stripe's lock), one visitor per owner; an
 * implementation must not call back into the server.
 */
public interface HeldVisitor {
    /** A queue entry of {@code device} of {@code user}: message {@code id} of the sending device. */
    void message(long user, int device, long senderUser, int senderDevice, long id, boolean written);

    /**
     * A receipt of {@code kind} about message {@code id} that the sending device does not have: held for it, or, for a
     * group message whose delivery list is not complete yet, still to be made ({@code written} false).
     */
    void receipt(long senderUser, int senderDevice, long id, ReceiptKind kind, boolean written);

    /**
     * {@code user} read message {@code id} of the sending device, and the owner ignored the read, having forgotten
     * unread messages past its bounds by then ({@code router.maxUnreadPerUser}, {@code router.maxUnreadBytes}, the
     * retention): the message may be one of them, and no read receipt comes for it. The last {@value
     * IgnoredReads#CAPACITY} such reads of the owner, oldest first.
     */
    void readIgnored(long user, long senderUser, int senderDevice, long id);
}
