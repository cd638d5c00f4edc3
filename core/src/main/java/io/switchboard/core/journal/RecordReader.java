package io.switchboard.core.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one body back from a record of a journal, by the record's index, with a tailer of its own made on first use.
 * Not thread-safe: one thread at a time (its tailer may change threads, under its user's lock).
 */
final class RecordReader {
    private static final Logger LOG = LoggerFactory.getLogger(RecordReader.class);

    /** Takes a body out of a record: its length, copied into {@code into}, or -1 when the record is not of its kind. */
    interface BodyParser {
        int body(Bytes<?> record, int envelope, ExpandableArrayBuffer into);
    }

    private final SingleChronicleQueue queue;
    private ExcerptTailer tailer;

    RecordReader(SingleChronicleQueue queue) {
        this.queue = queue;
    }

    /** The body {@code parser} finds in the record at {@code index}; its length, or -1 when it cannot be read (logged). */
    int read(long index, BodyParser parser, int envelope, ExpandableArrayBuffer into) {
        if (tailer == null) {
            tailer = queue.createTailer();
            // Locked routing reads from whichever I/O thread holds the journal's lock; group bodies from any owner's.
            tailer.singleThreadedCheckDisabled(true);
        }
        try {
            if (tailer.moveToIndex(index)) {
                try (DocumentContext document = tailer.readingDocument()) {
                    if (document.isPresent()) {
                        return parser.body(document.wire().bytes(), envelope, into);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("journal {}: cannot read back record {}", queue.file(), Long.toHexString(index), e);
            return -1;
        }
        LOG.error("journal {}: record {} to read a body back from is gone", queue.file(), Long.toHexString(index));
        return -1;
    }

    void close() {
        if (tailer != null) {
            tailer.close();
        }
    }
}
