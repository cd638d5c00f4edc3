package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import java.util.function.Consumer;

/** Makes the envelopes of a run: how its clients seal and open messages, given its devices and groups. */
@FunctionalInterface
interface Sealing {
    /** {@code encryption: none}. */
    Sealing PLAIN = (slots, groups, failure) -> new PlainEnvelopes(slots, groups);

    /** @param failure fails the run (a key server that cannot be reached, a session that cannot be built) */
    Envelopes envelopes(DeviceSlots slots, GroupPlan groups, Consumer<Throwable> failure);
}
