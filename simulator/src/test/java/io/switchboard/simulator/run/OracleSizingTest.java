package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The oracle and the client inbox hold the messages they were sized for without growing a table: a doubling of a table
 * of millions copies it on the clients' thread inside the measured window, a stall of the load generator.
 */
class OracleSizingTest {
    private static final int USERS = 2000;
    private static final int MESSAGES = 200_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final GroupPlan noGroups = new GroupPlan(7, USERS, new Scenario.Groups(0, 2, 2));
    private final DeviceSlots slots = new DeviceSlots(1);

    @Test
    void shouldSendAcknowledgeAndDeliverTheMessagesItWasSizedForWithoutAllocating() {
        exchange(new Oracle(noGroups, slots, 1024, USERS), new ClientInbox(1024, slots, USERS, 1), 0, 2_000);

        Oracle oracle = new Oracle(noGroups, slots, MESSAGES, USERS);
        ClientInbox inbox = new ClientInbox(MESSAGES, slots, USERS, 1);
        // A device's table of ids is made at its first send, once; the run's warm-up makes them.
        exchange(oracle, inbox, 0, USERS);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        exchange(oracle, inbox, USERS, MESSAGES);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(oracle.counts().delivered()).isEqualTo(MESSAGES);
        assertThat(oracle.counts().lost()).isZero();
        assertThat(allocated)
                .as("bytes allocated for %,d messages between %,d pairs of devices", MESSAGES, MESSAGES)
                .isLessThan(MESSAGES);
    }

    /** Messages {@code from} to {@code to}, one-to-one, each between a pair of devices of its own: sent, acked, delivered. */
    private static void exchange(Oracle oracle, ClientInbox inbox, int from, int to) {
        for (int i = from; i < to; i++) {
            int sender = i % USERS;
            int recipient = (sender + 1 + i / USERS) % USERS;
            int index = oracle.sent(sender, recipient);
            long id = oracle.ids().workload(sender, index);
            oracle.acked(index);
            oracle.delivered(index, recipient, sender, id, false);
            inbox.show(recipient, sender, 0, id);
        }
    }
}
