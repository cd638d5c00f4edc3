package io.switchboard.core.router.locked;

import io.switchboard.core.owner.ReceiptRouter;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.Arrays;

/**
 * Receipts produced while one stripe's lock is held, kept (per thread) until it is released: delivering them needs the
 * sender's stripe, and taking a second lock while holding the first could deadlock against a thread doing the
 * reverse. Primitive arrays, so collecting them allocates nothing once grown.
 */
final class DeferredReceipts implements ReceiptRouter {
    private long[] senderUsers = new long[16];
    private long[] ids = new long[16];
    private long[] recipients = new long[16];
    private long[] timestamps = new long[16];
    private int[] senderDevices = new int[16];
    private byte[] kinds = new byte[16];
    private boolean[] groups = new boolean[16];
    private int size;

    @Override
    public void route(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, boolean group) {
        if (size == ids.length) {
            int capacity = size * 2;
            senderUsers = Arrays.copyOf(senderUsers, capacity);
            ids = Arrays.copyOf(ids, capacity);
            recipients = Arrays.copyOf(recipients, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            senderDevices = Arrays.copyOf(senderDevices, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            groups = Arrays.copyOf(groups, capacity);
        }
        senderUsers[size] = senderUser;
        senderDevices[size] = senderDevice;
        ids[size] = id;
        recipients[size] = recipientUser;
        kinds[size] = kind.code();
        timestamps[size] = ts;
        groups[size] = group;
        size++;
    }

    /** Hands every collected receipt to {@code sink}, in order, and forgets them. */
    void drainTo(ReceiptRouter sink) {
        for (int i = 0; i < size; i++) {
            sink.route(
                    senderUsers[i],
                    senderDevices[i],
                    ids[i],
                    recipients[i],
                    ReceiptKind.fromCode(kinds[i]),
                    timestamps[i],
                    groups[i]);
        }
        size = 0;
    }
}
