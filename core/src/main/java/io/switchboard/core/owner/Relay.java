package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;

/**
 * Frames that only online devices get and that are never stored: typing, and the news of a group's members changing.
 * Owner thread only.
 */
final class Relay {
    private final DeviceStates devices;
    private final DeviceDirectory directory;
    private final Outbound out;
    private final CounterSet<ShardCounter> counters;
    private final Frame frame = new Frame();

    Relay(OwnerWiring wiring, DeviceStates devices) {
        this.devices = devices;
        this.directory = wiring.directory();
        this.out = wiring.out();
        this.counters = wiring.counters();
    }

    /** Relays typing to the online devices of {@code to}. */
    void typing(long from, long to, boolean on) {
        if (directory.deviceMask(to) == 0) {
            return;
        }
        devices.toOnlineDevices(to, frame.reset(FrameType.TYPING).from(from, 0).on(on), out);
        counters.increment(ShardCounter.TYPING_RELAYED);
    }

    /** Relays typing in a group to the online devices of those members held here, the typist's excepted. */
    void typing(long from, long[] members, boolean on) {
        for (long member : members) {
            if (member != from) {
                typing(from, member, on);
            }
        }
    }

    /** A change of a group's members, for the online devices of those of {@code audience} held here. */
    void groupEvent(long[] audience, String group, GroupEventKind kind, long by, long[] changed) {
        frame.reset(FrameType.GROUP_EVENT).group(group).event(kind).by(by);
        for (long member : changed) {
            frame.addMember(member);
        }
        for (long user : audience) {
            devices.toOnlineDevices(user, frame, out);
        }
    }
}
