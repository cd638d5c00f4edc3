package io.switchboard.simulator.run;

import io.switchboard.core.protocol.Frame;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads what a delivered {@code msg} says, as the recipient client does: its envelope opened by the {@link Envelopes},
 * and the plaintext checked against the id the frame carries. A delivery that does not open to the message its id
 * names is counted as {@link Oracle#unreadable()}. Client event loop only; one plaintext buffer serves every delivery.
 */
final class DeliveryReader {
    /** {@link #read}: the envelopes' own message (a sender key), not the workload's: acknowledge it, nothing more. */
    static final int CONTROL = -1;
    /** {@link #read}: the envelope did not open to its message; counted. */
    static final int UNREADABLE = -2;

    private final Envelopes envelopes;
    private final Oracle oracle;
    private final WindowFigures figures;
    private final UnsafeBuffer plaintext;
    private long intendedNs;
    private int plaintextLength;

    DeliveryReader(Envelopes envelopes, Oracle oracle, WindowFigures figures, int maxBodyBytes) {
        this.envelopes = envelopes;
        this.oracle = oracle;
        this.figures = figures;
        this.plaintext = new UnsafeBuffer(new byte[maxBodyBytes]);
    }

    /**
     * The global index of the workload message that {@code msg}, delivered to device {@code me} from device {@code
     * sender}, is; or {@link #CONTROL} or {@link #UNREADABLE}. Its intended send time is then {@link #intendedNs()}.
     */
    int read(int me, int sender, Frame msg) {
        int length = envelopes.open(me, sender, msg, plaintext);
        plaintextLength = length;
        if (length == Envelopes.CONTROL
                || (length == Envelopes.REPEAT && oracle.ids().isOwn(sender, msg.id()))) {
            return CONTROL;
        }
        if (length == Envelopes.REPEAT) {
            // Opened before on this device (a ratchet opens a message once): the id names the message.
            int index = oracle.indexOf(sender, msg.id());
            intendedNs = index >= 0 ? figures.intendedOf(index) : 0;
            return index;
        }
        if (length < 0 || !names(length, sender, msg.id())) {
            oracle.unreadable();
            return UNREADABLE;
        }
        intendedNs = plaintext.getLong(8);
        return (int) plaintext.getLong(0);
    }

    /** The plaintext {@link #read} last opened: {@code [0, plaintextLength())}. */
    DirectBuffer plaintext() {
        return plaintext;
    }

    /** The length of the plaintext {@link #read} last opened; negative when it opened none (a repeat). */
    int plaintextLength() {
        return plaintextLength;
    }

    /** The intended send time of the message {@link #read} last returned. */
    long intendedNs() {
        return intendedNs;
    }

    /**
     * Whether a plaintext of {@code length} bytes is the message {@code id} names: long enough to say, with a digest
     * ({@link Plaintext}) that matches when it has one, and the index of the message {@code sender} sent as that id.
     */
    private boolean names(int length, int sender, long id) {
        return length >= Plaintext.DIGEST_OFFSET
                && (length < Plaintext.WITH_DIGEST || Plaintext.intact(plaintext, length))
                && oracle.sentAs(plaintext.getLong(0), sender, id);
    }
}
