package io.switchboard.simulator.run;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.scenario.Scenario;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes the workload's messages: the plaintext ({@link Plaintext}) carries the message's global index and intended
 * send time, and is as long as the seed says (log-uniform over {@code messages.bodyBytes}); the {@link Envelopes} seal
 * it. A message with media carries the blob's key and digests in that plaintext too, so they travel sealed as the
 * rest of it does. A seeded share is preceded by a typing frame to the same conversation. Client event loop only; one
 * plaintext buffer serves every message.
 */
final class MessageWriter {
    private final Scenario scenario;
    private final GroupPlan groups;
    private final PresenceCounts presence;
    private final SecondSeries seconds;
    private final Envelopes envelopes;
    private final MediaMessages media;
    private final byte[] filler;
    private final UnsafeBuffer body;
    private final double logMinBody;
    private final double logBodySpan;
    private final Frame typing = new Frame();

    /** @param media the run's messages with media, whose key and digests this writes into plaintexts */
    MessageWriter(
            Scenario scenario,
            GroupPlan groups,
            PresenceCounts presence,
            SecondSeries seconds,
            Envelopes envelopes,
            MediaMessages media) {
        this.scenario = scenario;
        this.groups = groups;
        this.presence = presence;
        this.seconds = seconds;
        this.envelopes = envelopes;
        this.media = media;
        body = new UnsafeBuffer(new byte[MediaMessages.maxPlaintextBytes(scenario)]);
        this.filler = Plaintext.filler(Plaintext.marker(scenario.seed()), body.capacity());
        logMinBody = Math.log(scenario.messages().bodyBytes());
        logBodySpan = Math.log(scenario.messages().maxBodyBytes() + 1.0) - logMinBody;
    }

    /** Writes message {@code index} to a user ({@code recipient}) or a group ({@code group}, the other one -1). */
    void write(DeviceConnections clients, int sender, int index, long intendedNs, int recipient, int group) {
        write(clients, sender, index, intendedNs, recipient, group, null);
    }

    /**
     * Writes message {@code index} with the stored blob {@code blob} (null: none): its plaintext then carries the media
     * key and digests after the index, time and digest ({@link MediaMessages#writeBody}), and is at least that long.
     */
    void write(
            DeviceConnections clients,
            int sender,
            int index,
            long intendedNs,
            int recipient,
            int group,
            MediaMessages.Ref blob) {
        if (Mix.unitInterval(scenario.seed() + 3L * index) < scenario.messages().typingShare()) {
            clients.write(sender, addressed(typing.reset(FrameType.TYPING).on(true), recipient, group));
            presence.typingSent++;
        }
        int length = bodyLength(index);
        if (blob == null) {
            Plaintext.write(body, filler, index, intendedNs, length);
        } else {
            length = Math.max(length, MediaMessages.MIN_BODY_BYTES);
            Plaintext.write(body, filler, index, intendedNs, length);
            MediaMessages.writeBody(blob, body);
            Plaintext.sign(body, length);
        }
        envelopes.send(sender, index, recipient, group, body, length, blob);
        seconds.sent();
    }

    MediaMessages media() {
        return media;
    }

    /** Message {@code index}'s body size, a function of the seed and the index alone (same seed, same sizes). */
    private int bodyLength(int index) {
        double draw = Mix.unitInterval(scenario.seed() + 5L * index);
        int length = (int) Math.exp(logMinBody + draw * logBodySpan);
        // exp(log(n)) may come out just below n: never below the minimum, which leaves room for index and time.
        return Math.max(
                scenario.messages().bodyBytes(), Math.min(scenario.messages().maxBodyBytes(), length));
    }

    private Frame addressed(Frame frame, int recipient, int group) {
        return group >= 0 ? frame.toGroup(groups.id(group)) : frame.toUser(groups.userId(recipient));
    }
}
