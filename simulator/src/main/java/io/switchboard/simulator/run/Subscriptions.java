package io.switchboard.simulator.run;

import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;

/**
 * The presence subscriptions of a new session: its user's first contacts, or without a contacts graph users drawn from
 * the seed (other ones every session). Never the user itself, which {@link EndBarrier} relies on. Client event loop
 * only.
 */
final class Subscriptions {
    private final long seed;
    private final int perSession;
    private final int users;
    private final DeviceSlots slots;
    private final ContactGraph contacts;
    private final PresenceCounts counts;

    Subscriptions(Scenario scenario, DeviceSlots slots, ContactGraph contacts, PresenceCounts counts) {
        this.seed = scenario.seed();
        this.perSession = scenario.presence().subscriptionsPerUser();
        this.users = scenario.users();
        this.slots = slots;
        this.contacts = contacts;
        this.counts = counts;
    }

    /** Writes the subscriptions of the session {@code me} just opened. */
    void subscribe(int me, DeviceConnections clients) {
        int user = slots.user(me);
        for (int i = 0; i < perSession; i++) {
            int target;
            if (contacts.perUser() > 0) {
                target = contacts.contact(user, i % contacts.perUser());
            } else {
                int draw = (int) ((Mix.mix(seed ^ ((long) me << 20) ^ counts.subscriptionsSent) >>> 1) % (users - 1));
                target = draw >= user ? draw + 1 : draw;
            }
            clients.write(me, clients.outFrame().reset(FrameType.SUB).user(slots.userId(target)));
            counts.subscriptionsSent++;
        }
    }
}
