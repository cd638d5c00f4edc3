package io.switchboard.core.owner;

import io.switchboard.core.protocol.ReceiptKind;
import java.util.ArrayList;
import java.util.List;

/** Writes down the reads an owner tells as ignored ({@link HeldVisitor#readIgnored}), as "99 read 42/1 id 7". */
final class IgnoredReadLines implements HeldVisitor {
    private final List<String> lines = new ArrayList<>();

    List<String> lines() {
        return lines;
    }

    @Override
    public void message(long user, int device, long senderUser, int senderDevice, long id, boolean written) {}

    @Override
    public void receipt(long senderUser, int senderDevice, long id, ReceiptKind kind, boolean written) {}

    @Override
    public void readIgnored(long user, long senderUser, int senderDevice, long id) {
        lines.add(user + " read " + senderUser + "/" + senderDevice + " id " + id);
    }
}
