package io.switchboard.core.owner;

import io.switchboard.core.config.HeapBodies;
import io.switchboard.core.config.JournalContext.Durability;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.SendView;
import io.switchboard.core.message.SenderKey;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.ProtocolLimits;
import org.agrona.concurrent.EpochClock;

/**
 * One-to-one sends to this owner's users: checked against the recipient's registered devices, de-duplicated by
 * sending device, journaled before the ack (all of them, or those for an offline device), queued for each addressed
 * device and delivered. Owner thread only.
 */
final class DirectMessages {
    private static final String UNKNOWN_RECIPIENT = "no such user";
    private static final String QUEUE_FULL = "the recipient's queue is full; retry later";
    private static final String DUPLICATE_DEVICE = "two envelopes for one device";
    /** A {@link #queue} whose bodies are copied to the heap, not left in the journal. */
    private static final long IN_HEAP = -1;

    private static final String STORAGE_UNAVAILABLE = "the server cannot store messages right now; retry later";

    private final DeviceStates devices;
    private final Delivery delivery;
    private final DeviceDirectory directory;
    private final Outbound out;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final Journal journal;
    private final QueuedBytes queued;
    private final Durability durability;
    private final HeapBodies heapBodies;
    private final long retentionMs;
    private final long[] seqs = new long[ProtocolLimits.MAX_ENVELOPES];
    private final AcceptedIds accepted;
    private final SendRefusal storageRefusal;
    private final MessageRecords records;

    DirectMessages(
            OwnerWiring wiring,
            OwnerRules rules,
            DeviceStates devices,
            Delivery delivery,
            QueuedBytes queued,
            MessageRecords records) {
        this.records = records;
        this.devices = devices;
        this.delivery = delivery;
        this.directory = wiring.directory();
        this.out = wiring.out();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
        this.journal = wiring.journal();
        this.queued = queued;
        this.durability = rules.durability();
        this.heapBodies = rules.heapBodies();
        this.retentionMs = rules.retentionMs();
        this.accepted = new AcceptedIds(out, clock, counters);
        this.storageRefusal = new SendRefusal(out, counters, null, SendRefusal.STORAGE_RETRY_AFTER_MS);
    }

    void send(SendView send) {
        long connection = send.senderConnection();
        long id = send.id();
        long recipient = send.toUser();
        long registered = directory.deviceMask(recipient);
        if (registered == 0) {
            reject(connection, ErrorCode.UNKNOWN_RECIPIENT, id, UNKNOWN_RECIPIENT, 0, 0);
            return;
        }
        long addressed = 0;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            long bit = 1L << send.envelopeDevice(i);
            if ((addressed & bit) != 0) {
                reject(connection, ErrorCode.DEVICES, id, DUPLICATE_DEVICE, 0, bit);
                return;
            }
            addressed |= bit;
        }
        if (addressed != registered) {
            reject(connection, ErrorCode.DEVICES, id, null, registered & ~addressed, addressed & ~registered);
            return;
        }
        long sender = SenderKey.of(send.senderUser(), send.senderDevice());
        if (!accepted.admit(connection, sender, id)) {
            return;
        }
        long bytes = 0;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            if (!devices.device(recipient, send.envelopeDevice(i)).queue.hasRoom(send.bodyLength(i))) {
                queued.refuse(connection, id, QUEUE_FULL);
                return;
            }
            bytes += DeviceQueue.bytes(send.bodyLength(i));
        }
        MessageStore store = queued.store();
        if (!store.reserve(bytes)) {
            queued.refuse(connection, id, QueuedBytes.SERVER_FULL);
            return;
        }
        // Bodies on the heap within its budget; past it in the journal only, or refused where there is none.
        long bodyBytes = bodyBytes(send);
        boolean onHeap = copiesToHeap(recipient, send) && store.reserveHeapBodies(bodyBytes);
        if (!onHeap && !journal.keepsBodies()) {
            store.release(bytes);
            queued.refuse(connection, id, QueuedBytes.SERVER_FULL);
            return;
        }
        long ts = clock.time();
        boolean journaled = !onHeap || mustJournal(recipient, send);
        int cycle = 0;
        long index = 0;
        if (journaled) {
            for (int i = 0, n = send.envelopeCount(); i < n; i++) {
                seqs[i] =
                        devices.device(recipient, send.envelopeDevice(i)).queue.nextSeq();
            }
            index = journal.acceptedAt(send, ts, seqs);
            if (index == Journal.FAILED) {
                store.release(bytes);
                if (onHeap) {
                    store.releaseHeapBodies(bodyBytes);
                }
                storageRefusal.refuse(connection, id, STORAGE_UNAVAILABLE);
                return;
            }
            cycle = journal.cycleOf(index);
        }
        MessageRecord record = record(send, ts, registered);
        record.journaled(journaled);
        record.cycle(cycle);
        queue(send, record, null, onHeap ? IN_HEAP : index);
        accepted.accept(sender, id);
        counters.increment(ShardCounter.MESSAGES_ACCEPTED);
        out.ack(connection, id, ts);
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            delivery.pumpSent(recipient, devices.device(recipient, send.envelopeDevice(i)), record, send);
        }
    }

    private static long bodyBytes(SendView send) {
        long bytes = 0;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            bytes += send.bodyLength(i);
        }
        return bytes;
    }

    /** {@code all}: every message; {@code offline}: only one that waits for a device that is offline now. */
    private boolean mustJournal(long recipient, SendView send) {
        return durability == Durability.ALL || !allOnline(recipient, send);
    }

    /**
     * Whether the send's bodies are copied to the heap ({@code router.heapBodies}): with {@code waiting}, not when the
     * journal keeps them anyway and every addressed device is online to take them now, from the send itself.
     */
    private boolean copiesToHeap(long recipient, SendView send) {
        return heapBodies == HeapBodies.ALL
                || durability != Durability.ALL
                || !journal.keepsBodies()
                || !allOnline(recipient, send);
    }

    private boolean allOnline(long recipient, SendView send) {
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            if (!devices.device(recipient, send.envelopeDevice(i)).online()) {
                return false;
            }
        }
        return true;
    }

    private void reject(long connection, ErrorCode code, long id, String message, long missing, long extra) {
        out.error(connection, code, id, message, missing, extra);
        counters.increment(ShardCounter.MESSAGES_REJECTED);
    }

    private MessageRecord record(SendView send, long ts, long devices) {
        byte[] mediaId = null;
        if (send.mediaIdLength() > 0) {
            mediaId = new byte[send.mediaIdLength()];
            send.getMediaId(mediaId);
        }
        return records.take(send.senderUser(), send.senderDevice(), send.id(), ts, devices, mediaId, send.mediaSize());
    }

    /**
     * One queue entry per envelope: appended with the next seq (its bytes reserved by the caller), or, replayed ({@code
     * seqs} given), at its seq and charged to the budget whatever it holds, since it was acknowledged. Its body is
     * copied to the heap ({@code journalIndex} {@link #IN_HEAP}), or stays in the journal's record at {@code
     * journalIndex}.
     */
    private void queue(SendView send, MessageRecord record, long[] restoredSeqs, long journalIndex) {
        long recipient = send.toUser();
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            int device = send.envelopeDevice(i);
            DeviceQueue queue = devices.device(recipient, device).queue;
            EnvelopeType type = send.envelopeType(i);
            int length = send.bodyLength(i);
            long seq;
            if (restoredSeqs == null) {
                seq = journalIndex == IN_HEAP
                        ? queue.append(record, type, send.bodyBuffer(i), send.bodyOffset(i), length)
                        : queue.appendJournaled(record, type, length, journalIndex, i);
            } else {
                seq = restoredSeqs[i];
                if (journalIndex == IN_HEAP) {
                    queue.restore(seq, record, type, send.bodyBuffer(i), send.bodyOffset(i), length);
                } else {
                    queue.restoreJournaled(seq, record, type, length, journalIndex, i);
                }
                queued.charge(DeviceQueue.bytes(length));
            }
            queued.added(recipient, device, devices.device(recipient, device), seq);
        }
        counters.add(ShardCounter.MESSAGES_QUEUED, send.envelopeCount());
    }

    /** Replay: a send accepted before the restart, queued again unless it waited past the retention. */
    void onAccepted(SendView send, long ts, long[] seqs, int cycle, long index) {
        if (ts < clock.time() - retentionMs) {
            // Past retention: never delivered, as WhatsApp drops what waited too long.
            counters.add(ShardCounter.MESSAGES_EXPIRED, send.envelopeCount());
            for (int i = 0, n = send.envelopeCount(); i < n; i++) {
                journal.released(cycle);
            }
            return;
        }
        long addressed = 0;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            addressed |= 1L << send.envelopeDevice(i);
        }
        MessageRecord record = record(send, ts, addressed);
        record.journaled(true);
        record.cycle(cycle);
        // The same budget as before the restart: bodies past it are read back from the journal when delivered.
        queue(send, record, seqs, queued.store().reserveHeapBodies(bodyBytes(send)) ? IN_HEAP : index);
        accepted.accept(SenderKey.of(send.senderUser(), send.senderDevice()), send.id());
    }
}
