package io.switchboard.core.session;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;

/** A group message's {@code delivered} or {@code read} receipt waiting for its offline sending device. */
record GroupReceipt(String group, long id, ReceiptKind kind, long ts) {
    Frame frame(Frame scratch) {
        return scratch.reset(FrameType.RECEIPT).id(id).toGroup(group).kind(kind).ts(ts);
    }
}
