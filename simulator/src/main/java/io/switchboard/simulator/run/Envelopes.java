package io.switchboard.simulator.run;

import io.switchboard.core.protocol.Frame;
import io.switchboard.simulator.net.DeviceConnections;
import java.util.concurrent.CompletableFuture;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * How a virtual client seals a plaintext into the envelopes of a {@code send} and opens the envelope of a delivered
 * {@code msg}: as {@code plain} bodies ({@link PlainEnvelopes}) or with Signal sessions ({@link SignalEnvelopes}). The
 * workload writes plaintexts and reads them back through this alone, so neither the {@link MessageWriter} nor the
 * {@link Oracle} knows which. Client event loop only.
 */
interface Envelopes extends AutoCloseable {
    /** {@link #open}: the envelope carried something for the client itself (a sender key), not a workload message. */
    int CONTROL = -1;
    /** {@link #open}: the envelope could not be opened (decryption failed): the message is lost to its application. */
    int UNREADABLE = -2;
    /**
     * {@link #open}: this device opened this very envelope before (a redelivery: a ratchet opens a message once), so
     * the message is the one its id names.
     */
    int REPEAT = -3;

    /** The connections the envelopes are sent on; before the first send. */
    void attach(DeviceConnections clients);

    /**
     * Sends {@code plaintext[0, length)}, message {@code index}, from device {@code sender} to user {@code recipient}
     * or, when {@code group >= 0}, to that group, now or once the keys it needs have been fetched, under the id {@link
     * SendIds#workload} gives it as it goes on the wire (the one it went under before, for a message sent again). A {@code blob}
     * (null: none) is named on the frame ({@code media}: its id and size, what the server sees); its key and digests
     * are in the plaintext, sealed with the rest.
     */
    void send(
            int sender,
            int index,
            int recipient,
            int group,
            DirectBuffer plaintext,
            int length,
            MediaMessages.Ref blob);

    /**
     * Opens the envelope of {@code msg}, delivered to device {@code me} from device {@code sender}, into {@code into}:
     * returns the plaintext's length, {@link #CONTROL}, {@link #UNREADABLE} or {@link #REPEAT}.
     */
    int open(int me, int sender, Frame msg, MutableDirectBuffer into);

    /**
     * An {@code error} answered a send of {@code me}'s: true if these envelopes took care of it (sent it again, or it
     * was one of their own sends), false if it is the workload's to count.
     */
    boolean refused(int me, Frame error);

    /**
     * An ack or receipt for {@code id} reached {@code me}: true if the id names one of these envelopes' own sends, not
     * the workload's.
     */
    boolean answered(int me, long id);

    /** Any other frame the server sent device {@code me} ({@code keys.low}, for instance). */
    void onFrame(int me, Frame frame);

    /**
     * Before the workload ({@code sessions: established}): whatever a first message would set up between each connected
     * device and its contacts and groups, set up now; completes once it is. Nothing, for envelopes without sessions.
     */
    default CompletableFuture<Void> establish(ContactGraph contacts) {
        return CompletableFuture.completedFuture(null);
    }

    /** Whether {@link #establish} is under way: the run's churn waits for it. */
    default boolean establishing() {
        return false;
    }

    /** Client CPU spent sealing and opening so far, in nanoseconds (wall time on the client loop). */
    long busyNs();

    /** Client CPU spent building sessions from fetched bundles so far, in nanoseconds. */
    default long sessionNs() {
        return 0;
    }

    /** Client CPU spent making one-time keys on {@code keys.low} so far, in nanoseconds. */
    default long keyMakingNs() {
        return 0;
    }

    /** Stops what the envelopes run besides the client loop; after the run. */
    @Override
    default void close() {}

    /** Key bundle fetches made so far. */
    default long keyFetches() {
        return 0;
    }

    /** One-time key uploads made so far on {@code keys.low}. */
    default long keyUploads() {
        return 0;
    }
}
