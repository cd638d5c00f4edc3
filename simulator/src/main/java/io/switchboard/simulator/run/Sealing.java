package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import java.util.function.Consumer;

/** Makes the envelopes of a run: how its clients seal and open messages, given its devices and groups. */
@FunctionalInterface
interface Sealing {
    /** {@code encryption: none}. */
    Sealing PLAIN = (slots, groups, ids, failure) -> new PlainEnvelopes(slots, groups, ids);

    /**
     * @param ids the ids the envelopes' sends take as they go on the wire
     * @param failure fails the run (a key server that cannot be reached, a session that cannot be built)
     */
    Envelopes envelopes(DeviceSlots slots, GroupPlan groups, SendIds ids, Consumer<Throwable> failure);
}
