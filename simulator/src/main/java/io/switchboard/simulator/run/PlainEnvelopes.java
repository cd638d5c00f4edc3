package io.switchboard.simulator.run;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code encryption: none}: the plaintext is the body. A one-to-one message carries it in a {@code plain} envelope for
 * each device of its recipient (the server refuses any other set); a group message in one envelope without a device,
 * typed {@code skmsg} as a sender-key message would be. Client event loop only.
 */
final class PlainEnvelopes implements Envelopes {
    private final DeviceSlots slots;
    private final GroupPlan groups;
    private final SendIds ids;
    private DeviceConnections clients;

    PlainEnvelopes(DeviceSlots slots, GroupPlan groups, SendIds ids) {
        this.slots = slots;
        this.groups = groups;
        this.ids = ids;
    }

    @Override
    public void attach(DeviceConnections clients) {
        this.clients = clients;
    }

    @Override
    public void send(
            int sender,
            int index,
            int recipient,
            int group,
            DirectBuffer plaintext,
            int length,
            MediaMessages.Ref blob) {
        Frame send = clients.outFrame().reset(FrameType.SEND).id(ids.workload(sender, index));
        if (blob != null) {
            send.media(blob.id(), blob.size());
        }
        if (group >= 0) {
            send.toGroup(groups.id(group)).addEnvelope(0, EnvelopeType.SKMSG, plaintext, 0, length);
        } else {
            send.toUser(slots.userId(recipient));
            for (int device = 1; device <= slots.devicesPerUser(); device++) {
                send.addEnvelope(device, EnvelopeType.PLAIN, plaintext, 0, length);
            }
        }
        clients.write(sender, send);
    }

    @Override
    public int open(int me, int sender, Frame msg, MutableDirectBuffer into) {
        int length = Math.min(msg.envelopeBodyLength(0), into.capacity());
        into.putBytes(0, msg.bodies(), msg.envelopeBodyOffset(0), length);
        return length;
    }

    @Override
    public boolean refused(int me, Frame error) {
        return false;
    }

    @Override
    public boolean answered(int me, long id) {
        return false;
    }

    @Override
    public void onFrame(int me, Frame frame) {
        // plaintext clients have no keys to keep
    }

    @Override
    public long busyNs() {
        return 0;
    }
}
