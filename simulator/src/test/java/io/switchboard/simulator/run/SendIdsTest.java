package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.net.ClientLoop;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.scenario.Scenario;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each device numbers its own sends densely, as the server's de-duplication expects: a device that sends again after a
 * close what it never heard acknowledged gets acks, not {@code bad-frame}, however many messages other devices sent
 * meanwhile.
 */
@Timeout(60)
class SendIdsTest {
    private static final long SEED = 3;
    private static final DeviceSlots SLOTS = new DeviceSlots(1);
    private static final int ALICE = SLOTS.slot(0, 1);
    private static final int BOB = SLOTS.slot(1, 1);
    private static final int CAROL = SLOTS.slot(2, 1);

    @TempDir
    Path data;

    @Test
    void shouldNumberEachDevicesSendsOneByOneWhateverOtherDevicesSendBetween() {
        SendIds ids = new SendIds(1024, 8);
        int index = 0;
        for (int round = 0; round < 300; round++) {
            assertThat(ids.workload(ALICE, index++)).isEqualTo(2 * round + 1);
            assertThat(ids.own(ALICE)).as("a sender key between two messages").isEqualTo(2 * round + 2);
            for (int other = 0; other < 5; other++) {
                ids.workload(CAROL, index++);
            }
        }
        assertThat(ids.indexOf(ALICE, 1)).isZero();
        assertThat(ids.indexOf(ALICE, 3)).isEqualTo(6);
        assertThat(ids.indexOf(CAROL, 1))
                .as("Carol's id 1 is her first message's")
                .isEqualTo(1);
        assertThat(ids.indexOf(ALICE, 2))
                .as("a client's own send is no message")
                .isEqualTo(-1);
        assertThat(ids.isOwn(ALICE, 2)).isTrue();
        assertThat(ids.isOwn(CAROL, 2)).isFalse();
        assertThat(ids.indexOf(ALICE, 601)).as("one past Alice's last").isEqualTo(-1);
        assertThat(ids.workload(ALICE, 6))
                .as("a message sent again keeps its id")
                .isEqualTo(3);
        assertThat(ids.idOf(index)).as("a message not on the wire yet").isZero();
    }

    /**
     * A device's first ids are in its row of one table and the rest in an array of its own; a device numbered past
     * those the table was made for (a device linked during the run) makes it grow, and every id keeps its message.
     */
    @Test
    void shouldMapEveryIdOfEveryDeviceWithinItsRowBeyondItAndAfterTheTableGrows() {
        SendIds ids = new SendIds(64, 8);
        int late = 40;
        int index = 0;
        for (int round = 0; round < 100; round++) {
            ids.workload(ALICE, index++);
            ids.workload(late, index++);
            ids.own(CAROL);
        }
        for (int round = 0; round < 100; round++) {
            assertThat(ids.indexOf(ALICE, round + 1))
                    .as("Alice's id %d", round + 1)
                    .isEqualTo(2 * round);
            assertThat(ids.indexOf(late, round + 1))
                    .as("device %d's id %d", late, round + 1)
                    .isEqualTo(2 * round + 1);
            assertThat(ids.isOwn(CAROL, round + 1)).isTrue();
            assertThat(ids.indexOf(CAROL, round + 1)).isEqualTo(-1);
        }
        assertThat(ids.indexOf(late + 1, 1)).as("a device that sent nothing").isEqualTo(-1);
        assertThat(ids.indexOf(late, 101)).isEqualTo(-1);
    }

    /**
     * Alice's two messages were both accepted and their acks lost with the connection (here: not heeded); after the
     * close she sends both again under their ids, 300 messages of Carol's later, and both are acknowledged again. With
     * one id counter for all devices her ids were hundreds apart, and the server answered the first one's repeat
     * {@code bad-frame}: more than 256 below the highest it had accepted from her.
     */
    @Test
    void shouldHaveTheServerAcknowledgeAgainWhatADeviceSendsAgainAfterAClose() throws Exception {
        Settings settings = Settings.empty().with("server.port", 0, "test").with("server.data", data, "test");
        try (SwitchboardServer server = SwitchboardServer.start(ServerContext.conclude(settings));
                ClientLoop loop = new ClientLoop(false, server)) {
            VirtualClients.Tokens tokens = (user, device) -> ClientLoop.token(SEED, user, device);
            server.accounts().registerAll(1, 3, 1, user -> tokens.token(user, 1));
            BlockingQueue<String> alice = new LinkedBlockingQueue<>();
            VirtualClients clients = loop.clients(3, SLOTS, tokens, new VirtualClients.Listener() {
                @Override
                public void onFrame(int slot, Frame frame) {
                    if (slot == ALICE) {
                        switch (frame.type()) {
                            case ACK -> alice.add("ack " + frame.id());
                            case ERROR ->
                                alice.add("error " + frame.id() + " "
                                        + frame.code().wireName());
                            default -> {}
                        }
                    }
                }

                @Override
                public void onClosed(int slot) {}

                @Override
                public void onError(int slot, Throwable cause) {}
            });
            GroupPlan noGroups = new GroupPlan(SEED, 3, Scenario.Groups.NONE);
            Oracle oracle = new Oracle(noGroups, SLOTS, 1024, 8);
            PlainEnvelopes envelopes = new PlainEnvelopes(SLOTS, noGroups, oracle.ids());
            envelopes.attach(clients);
            for (int slot : new int[] {ALICE, BOB, CAROL}) {
                loop.loop().execute(() -> clients.connect(slot));
            }
            awaitConnected(loop, clients, true, ALICE, BOB, CAROL);

            int first = oracle.sent(ALICE, 1);
            send(loop, envelopes, clients, ALICE, first);
            for (int i = 0; i < 300; i++) {
                send(loop, envelopes, clients, CAROL, oracle.sent(CAROL, 1));
            }
            int second = oracle.sent(ALICE, 1);
            send(loop, envelopes, clients, ALICE, second);
            long firstId = loop.loop().submit(() -> oracle.idOf(first)).get();
            long secondId = loop.loop().submit(() -> oracle.idOf(second)).get();
            assertThat(next(alice)).isEqualTo("ack " + firstId);
            assertThat(next(alice)).isEqualTo("ack " + secondId);

            loop.loop().execute(() -> clients.close(ALICE));
            awaitConnected(loop, clients, false, ALICE);
            loop.loop().execute(() -> clients.connect(ALICE));
            awaitConnected(loop, clients, true, ALICE);
            send(loop, envelopes, clients, ALICE, first);
            send(loop, envelopes, clients, ALICE, second);
            assertThat(next(alice)).as("the first one's repeat").isEqualTo("ack " + firstId);
            assertThat(next(alice)).isEqualTo("ack " + secondId);
        }
    }

    private static void send(ClientLoop loop, PlainEnvelopes envelopes, VirtualClients clients, int from, int index) {
        byte[] plaintext = new byte[16];
        loop.loop().execute(() -> {
            envelopes.send(from, index, 1, -1, new UnsafeBuffer(plaintext), plaintext.length, null);
            clients.flushWritten();
        });
    }

    private static void awaitConnected(ClientLoop loop, VirtualClients clients, boolean connected, int... slots)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int slot : slots) {
            while (loop.loop().submit(() -> clients.connected(slot)).get() != connected) {
                assertThat(System.nanoTime())
                        .as("device " + slot + " connected: " + connected)
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    private static String next(BlockingQueue<String> heard) throws InterruptedException {
        String next = heard.poll(10, TimeUnit.SECONDS);
        assertThat(next).as("a frame within 10 s").isNotNull();
        return next;
    }
}
