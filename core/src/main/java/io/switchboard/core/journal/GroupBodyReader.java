package io.switchboard.core.journal;

import io.switchboard.core.message.StoredBodies;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;

/**
 * Reads the bodies of a journal's stored group messages back for the owners of their members, which call from their
 * own threads: a tailer of its own (the journal's owner keeps another for one-to-one bodies), taken in turn. Only
 * group bodies past the heap's budget are read here, one per delivery, so the turns are rarely contended.
 */
final class GroupBodyReader implements StoredBodies {
    private final RecordReader reader;

    GroupBodyReader(SingleChronicleQueue queue) {
        this.reader = new RecordReader(queue);
    }

    @Override
    public synchronized int read(long index, ExpandableArrayBuffer into) {
        return reader.read(index, (record, envelope, body) -> JournalRecords.groupBody(record, body), 0, into);
    }

    synchronized void close() {
        reader.close();
    }
}
