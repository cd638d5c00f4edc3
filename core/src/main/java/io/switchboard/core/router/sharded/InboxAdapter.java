package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.LatencyRecorder;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Reads a shard's inbox records ({@link InboxDescriptor}) in place and gives each to the shard's {@link Owner} as a
 * command (one that throws fails alone: {@link CommandFailures}), timing commands from their decode on the I/O loop
 * when command latency is recorded. A send (one-to-one, or a group send among the CONTROL records) first passes {@link
 * Admission}. Shard thread only.
 */
final class InboxAdapter implements MessageHandler {
    private final Owner owner;
    private final CommandFailures failures;
    private final Admission admission;
    private final LatencyRecorder commandLatency;
    private final SendCommand send = new SendCommand();
    private final BinaryFrameDecoder decoder = new BinaryFrameDecoder();
    private final Frame control = new Frame();
    /**
     * The clock's last reading on this thread ({@link System#nanoTime()}), at the duty cycle's start or after a command
     * timed: behind the true time by the untimed work since, within one duty cycle ({@link ShardAgent#INBOX_LIMIT}
     * records a ring; 19-27 µs on average at 700,000 msgs/s on direct) against {@code router.maxSendWaitMs}' default
     * 1,000 ms. So a timed send reads the clock once, not twice: the shards spent 12 of 887 samples in admission's own
     * reading at 550,000 msgs/s on direct (results/reference/20261208-direct-idle).
     */
    private long clockNs;

    /** @param commandLatencyOrNull null when command latency is not recorded */
    InboxAdapter(Owner owner, CommandFailures failures, Admission admission, LatencyRecorder commandLatencyOrNull) {
        this.owner = owner;
        this.failures = failures;
        this.admission = admission;
        this.commandLatency = commandLatencyOrNull;
    }

    @Override
    public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        try {
            handle(type, buffer, index, length);
        } catch (RuntimeException failure) {
            boolean send = type == CommandTypes.SEND;
            boolean named = type == CommandTypes.OPEN
                    || type == CommandTypes.OPEN_WITH_RECEIPT_ACKS
                    || type == CommandTypes.CONTROL;
            long connection = send
                    ? this.send.senderConnection()
                    : named ? buffer.getLong(index + InboxDescriptor.CONNECTION) : 0;
            failures.failed("inbox record type " + type, failure, connection, send ? this.send.id() : 0);
        }
    }

    private void handle(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type == CommandTypes.SEND) {
            send.wrap(buffer, index);
            if (admission.admit(send.senderConnection(), send.id(), now() - send.decodedNs(), send.toUser())) {
                owner.send(send);
            }
            recordLatency(send.decodedNs());
            return;
        }
        long user = buffer.getLong(index + InboxDescriptor.USER);
        int device = buffer.getInt(index + InboxDescriptor.DEVICE);
        switch (type) {
            case CommandTypes.RECV -> owner.recv(user, device, buffer.getLong(index + InboxDescriptor.SEQ));
            case CommandTypes.OPEN, CommandTypes.OPEN_WITH_RECEIPT_ACKS ->
                owner.open(
                        user,
                        device,
                        buffer.getLong(index + InboxDescriptor.CONNECTION),
                        type == CommandTypes.OPEN_WITH_RECEIPT_ACKS);
            case CommandTypes.RECEIPT_ACK ->
                owner.receiptAck(user, device, buffer.getLong(index + InboxDescriptor.RSEQ));
            case CommandTypes.CLOSE -> owner.close(user, device, buffer.getLong(index + InboxDescriptor.CONNECTION));
            case CommandTypes.REMOVE_DEVICE -> owner.removeDevice(user, device);
            case CommandTypes.UNSUBSCRIBE ->
                owner.unsubscribe(user, buffer.getLong(index + InboxDescriptor.CONNECTION));
            case CommandTypes.CONTROL -> {
                int binary = index + InboxDescriptor.CONTROL_BINARY;
                decoder.decode(buffer, binary, length - InboxDescriptor.CONTROL_BINARY, control);
                long connection = buffer.getLong(index + InboxDescriptor.CONNECTION);
                long decodedNs = buffer.getLong(index + InboxDescriptor.CONTROL_DECODED_NS);
                if (control.type() != FrameType.SEND
                        || admission.admitToAnyLoop(connection, control.id(), now() - decodedNs)) {
                    owner.control(user, device, connection, control);
                }
                recordLatency(decodedNs);
            }
            case CommandTypes.READ -> {
                long senderUser = buffer.getLong(index + InboxDescriptor.SENDER_USER);
                int ids = index + InboxDescriptor.READ_IDS;
                for (int i = 0, n = buffer.getInt(index + InboxDescriptor.READ_COUNT); i < n; i++) {
                    owner.read(user, senderUser, device, buffer.getLong(ids + i * Long.BYTES));
                }
            }
            default -> throw new IllegalStateException("unknown inbox record type " + type);
        }
    }

    /**
     * Call as a duty cycle starts, with the clock read for it: a send's wait for admission is measured from the last
     * reading, taken then or after the last command timed.
     */
    void cycleStarted(long nowNs) {
        clockNs = nowNs;
    }

    /**
     * The clock as a command starts, for its wait: when command latency is recorded, the last reading, so that a send
     * reads the clock once (after it), not twice; else the clock itself.
     */
    private long now() {
        return commandLatency != null ? clockNs : System.nanoTime();
    }

    private void recordLatency(long decodedNs) {
        if (commandLatency != null) {
            clockNs = System.nanoTime();
            commandLatency.recordNanos(clockNs - decodedNs);
        }
    }
}
