package io.switchboard.core.owner;

import io.switchboard.core.config.JournalContext.Durability;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.SendView;
import io.switchboard.core.message.SenderKey;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.ProtocolLimits;
import org.agrona.collections.Long2LongHashMap;
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
    private final long retentionMs;
    private final long[] seqs = new long[ProtocolLimits.MAX_ENVELOPES];
    /** Highest accepted id per sending device ({@link SenderKey}), for de-duplication. */
    private final Long2LongHashMap lastAcceptedId = new Long2LongHashMap(0);

    DirectMessages(OwnerWiring wiring, OwnerRules rules, DeviceStates devices, Delivery delivery, QueuedBytes queued) {
        this.devices = devices;
        this.delivery = delivery;
        this.directory = wiring.directory();
        this.out = wiring.out();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
        this.journal = wiring.journal();
        this.queued = queued;
        this.durability = rules.durability();
        this.retentionMs = rules.retentionMs();
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
        if (id <= lastAcceptedId.get(sender)) {
            out.ack(connection, id, clock.time());
            counters.increment(ShardCounter.MESSAGES_DUPLICATE);
            return;
        }
        long bytes = 0;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            if (!devices.device(recipient, send.envelopeDevice(i)).queue.hasRoom(send.bodyLength(i))) {
                queued.refuse(connection, id, QUEUE_FULL);
                return;
            }
            bytes += QueuedMessage.bytes(send.bodyLength(i));
        }
        if (!queued.store().reserve(bytes)) {
            queued.refuse(connection, id, QueuedBytes.SERVER_FULL);
            return;
        }
        long ts = clock.time();
        boolean journaled = mustJournal(recipient, send);
        int cycle = 0;
        if (journaled) {
            for (int i = 0, n = send.envelopeCount(); i < n; i++) {
                seqs[i] =
                        devices.device(recipient, send.envelopeDevice(i)).queue.nextSeq();
            }
            cycle = journal.accepted(send, ts, seqs);
            if (cycle == Journal.FAILED) {
                queued.store().release(bytes);
                reject(connection, ErrorCode.UNAVAILABLE, id, STORAGE_UNAVAILABLE, 0, 0);
                return;
            }
        }
        MessageRecord record = record(send, ts, registered);
        record.journaled(journaled);
        record.cycle(cycle);
        queue(send, record, null);
        lastAcceptedId.put(sender, id);
        counters.increment(ShardCounter.MESSAGES_ACCEPTED);
        out.ack(connection, id, ts);
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            delivery.pump(recipient, devices.device(recipient, send.envelopeDevice(i)));
        }
    }

    /** {@code all}: every message; {@code offline}: only one that waits for a device that is offline now. */
    private boolean mustJournal(long recipient, SendView send) {
        if (durability == Durability.ALL) {
            return true;
        }
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            if (!devices.device(recipient, send.envelopeDevice(i)).online()) {
                return true;
            }
        }
        return false;
    }

    private void reject(long connection, ErrorCode code, long id, String message, long missing, long extra) {
        out.error(connection, code, id, message, missing, extra);
        counters.increment(ShardCounter.MESSAGES_REJECTED);
    }

    private static MessageRecord record(SendView send, long ts, long devices) {
        byte[] mediaId = null;
        if (send.mediaIdLength() > 0) {
            mediaId = new byte[send.mediaIdLength()];
            send.getMediaId(mediaId);
        }
        return new MessageRecord(
                send.senderUser(), send.senderDevice(), send.id(), ts, devices, mediaId, send.mediaSize());
    }

    /**
     * One queue entry per envelope: appended with the next seq (its bytes reserved by the caller), or, replayed ({@code
     * seqs} given), at its seq and charged to the budget whatever it holds, since it was acknowledged.
     */
    private void queue(SendView send, MessageRecord record, long[] restoredSeqs) {
        long recipient = send.toUser();
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            int device = send.envelopeDevice(i);
            DeviceState state = devices.device(recipient, device);
            long seq;
            if (restoredSeqs == null) {
                seq = state.queue.append(
                        record, send.envelopeType(i), send.bodyBuffer(i), send.bodyOffset(i), send.bodyLength(i));
            } else {
                seq = restoredSeqs[i];
                state.queue.restore(
                        seq, record, send.envelopeType(i), send.bodyBuffer(i), send.bodyOffset(i), send.bodyLength(i));
                queued.charge(QueuedMessage.bytes(send.bodyLength(i)));
            }
            queued.added(recipient, device, state, state.queue.get(seq));
        }
        counters.add(ShardCounter.MESSAGES_QUEUED, send.envelopeCount());
    }

    /** Replay: a send accepted before the restart, queued again unless it waited past the retention. */
    void onAccepted(SendView send, long ts, long[] seqs, int cycle) {
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
        queue(send, record, seqs);
        long sender = SenderKey.of(send.senderUser(), send.senderDevice());
        lastAcceptedId.put(sender, Math.max(lastAcceptedId.get(sender), send.id()));
    }
}
