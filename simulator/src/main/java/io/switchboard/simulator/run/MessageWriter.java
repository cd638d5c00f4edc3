package io.switchboard.simulator.run;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.scenario.Scenario;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes the workload's messages: the body carries the message's global index and intended send time, and is as long
 * as the seed says (log-uniform over {@code messages.bodyBytes}); a seeded share is preceded by a typing frame to the
 * same conversation. Client event loop only; one body buffer serves every message.
 */
final class MessageWriter {
    private final Scenario scenario;
    private final DeviceSlots slots;
    private final GroupPlan groups;
    private final PresenceCounts presence;
    private final SecondSeries seconds;
    private final UnsafeBuffer body;
    private final double logMinBody;
    private final double logBodySpan;
    private final Frame typing = new Frame();

    MessageWriter(
            Scenario scenario, DeviceSlots slots, GroupPlan groups, PresenceCounts presence, SecondSeries seconds) {
        this.scenario = scenario;
        this.slots = slots;
        this.groups = groups;
        this.presence = presence;
        this.seconds = seconds;
        body = new UnsafeBuffer(new byte[scenario.messages().maxBodyBytes()]);
        logMinBody = Math.log(scenario.messages().bodyBytes());
        logBodySpan = Math.log(scenario.messages().maxBodyBytes() + 1.0) - logMinBody;
    }

    /**
     * Writes message {@code index} to a user ({@code recipient}) or a group ({@code group}, the other one -1). A
     * one-to-one message carries an envelope for each device of its recipient (the server refuses any other set); a
     * group message one envelope without a device, like a sender-key message.
     */
    void write(DeviceConnections clients, int sender, int index, long intendedNs, int recipient, int group) {
        if (Mix.unitInterval(scenario.seed() + 3L * index) < scenario.messages().typingShare()) {
            clients.write(sender, addressed(typing.reset(FrameType.TYPING).on(true), recipient, group));
            presence.typingSent++;
        }
        body.putLong(0, index);
        body.putLong(8, intendedNs);
        Frame send = addressed(clients.outFrame().reset(FrameType.SEND).id(Oracle.idOf(index)), recipient, group);
        int length = bodyLength(index);
        if (group >= 0) {
            send.addEnvelope(0, EnvelopeType.SKMSG, body, 0, length);
        } else {
            for (int device = 1; device <= slots.devicesPerUser(); device++) {
                send.addEnvelope(device, EnvelopeType.PLAIN, body, 0, length);
            }
        }
        clients.write(sender, send);
        seconds.sent();
    }

    /** Message {@code index}'s body size, a function of the seed and the index alone (same seed, same sizes). */
    private int bodyLength(int index) {
        double draw = Mix.unitInterval(scenario.seed() + 5L * index);
        int length = (int) Math.exp(logMinBody + draw * logBodySpan);
        // exp(log(n)) may come out just below n: never below the minimum, which leaves room for index and time.
        return Math.max(scenario.messages().bodyBytes(), Math.min(body.capacity(), length));
    }

    private Frame addressed(Frame frame, int recipient, int group) {
        return group >= 0 ? frame.toGroup(groups.id(group)) : frame.toUser(VirtualClients.userOf(recipient));
    }
}
