package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.e2ee.KeyServer;
import io.switchboard.simulator.e2ee.SignalDevices;
import io.switchboard.simulator.net.ClientLoop;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.scenario.Scenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SignalEnvelopes} against a real server over loopback WebSockets: a first contact fetches bundles and sends a
 * {@code pkmsg} the recipient opens; a companion linked afterwards makes the server answer {@code devices}, and the
 * sender fetches the new device's bundle and sends the message again, which the new device opens too.
 */
@Timeout(60)
class SignalEnvelopesTest {
    private static final long SEED = 5;
    private static final DeviceSlots SLOTS = new DeviceSlots(2);
    private static final int ALICE = SLOTS.slot(0, 1);
    private static final int BOB = SLOTS.slot(1, 1);
    private static final int BOB_PHONE_TWO = SLOTS.slot(1, 2);

    @TempDir
    Path data;

    /** What a device heard: its slot, and the plaintext it opened (or the frame's type and code). */
    record Heard(int slot, String what) {}

    @Test
    void shouldSendAgainToADeviceLinkedAfterTheFirstContactOnceTheServerSaysItIsMissing() throws Exception {
        Settings settings = Settings.empty().with("server.port", 0, "test").with("server.data", data, "test");
        try (SwitchboardServer server = SwitchboardServer.start(ServerContext.conclude(settings));
                ClientLoop loop = new ClientLoop(false, server)) {
            VirtualClients.Tokens tokens = (user, device) -> ClientLoop.token(SEED, user, device);
            server.accounts().registerAll(1, 2, 1, user -> tokens.token(user, 1));
            SignalDevices devices = new SignalDevices(SEED, 2, SLOTS);
            KeyServer keys = new KeyServer(server.httpUrl(), tokens::token);
            keys.upload(1, 1, devices.registration(ALICE, 3)).join();
            keys.upload(2, 1, devices.registration(BOB, 3)).join();
            GroupPlan noGroups = new GroupPlan(SEED, 2, Scenario.Groups.NONE);
            BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
            BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
            SignalEnvelopes[] envelopes = new SignalEnvelopes[1];
            VirtualClients clients = loop.clients(2, SLOTS, tokens, new VirtualClients.Listener() {
                @Override
                public void onFrame(int slot, Frame frame) {
                    switch (frame.type()) {
                        case ACK -> {
                            envelopes[0].answered(slot, frame.id());
                            heard.add(new Heard(slot, "ack " + frame.id()));
                        }
                        case ERROR -> {
                            if (!envelopes[0].refused(slot, frame)) {
                                heard.add(new Heard(slot, "error " + frame.code()));
                            }
                        }
                        case MSG -> {
                            UnsafeBuffer into = new UnsafeBuffer(new byte[256]);
                            int sender = SLOTS.slot((int) frame.fromUser() - 1, frame.fromDevice());
                            EnvelopeType type = frame.envelopeType(0);
                            int length = envelopes[0].open(slot, sender, frame, into);
                            heard.add(new Heard(
                                    slot,
                                    type.wireName() + " "
                                            + (length < 0
                                                    ? "unopened " + length
                                                    : into.getStringWithoutLengthAscii(0, length))));
                        }
                        default -> envelopes[0].onFrame(slot, frame);
                    }
                }

                @Override
                public void onClosed(int slot) {}

                @Override
                public void onError(int slot, Throwable cause) {
                    failures.add(cause);
                }
            });
            envelopes[0] = new SignalEnvelopes(
                    SLOTS, noGroups, devices, keys, new SendIds(1024, 8), SLOTS.count(2), failures::add);
            envelopes[0].attach(clients);
            for (int slot : new int[] {ALICE, BOB}) {
                loop.loop().execute(() -> clients.connect(slot));
            }
            awaitConnected(loop, clients, ALICE, BOB);

            send(loop, envelopes[0], clients, 0, "first");
            assertThat(List.of(next(heard, failures), next(heard, failures)))
                    .as("Alice's first send: her id 1")
                    .containsExactlyInAnyOrder(new Heard(ALICE, "ack 1"), new Heard(BOB, "pkmsg first"));

            // Bob links a second phone, which uploads its keys: Alice's next message names device 1 only.
            server.accounts().linkAll(2, 1, 2, user -> tokens.token(user, 1), user -> tokens.token(user, 2));
            keys.upload(2, 2, devices.registration(BOB_PHONE_TWO, 3)).join();
            loop.loop().execute(() -> clients.connect(BOB_PHONE_TWO));
            awaitConnected(loop, clients, BOB_PHONE_TWO);
            send(loop, envelopes[0], clients, 1, "second");

            assertThat(List.of(next(heard, failures), next(heard, failures), next(heard, failures)))
                    .as("sent again with the id it went under, 2")
                    .containsExactlyInAnyOrder(
                            new Heard(ALICE, "ack 2"),
                            new Heard(BOB, "pkmsg second"),
                            new Heard(BOB_PHONE_TWO, "pkmsg second"));
            assertThat(envelopes[0].keyFetches()).isEqualTo(2);
        }
    }

    private static void send(
            ClientLoop loop, SignalEnvelopes envelopes, VirtualClients clients, int index, String text) {
        byte[] plaintext = text.getBytes(StandardCharsets.US_ASCII);
        loop.loop().execute(() -> {
            envelopes.send(ALICE, index, 1, -1, new UnsafeBuffer(plaintext), plaintext.length, null);
            clients.flushWritten();
        });
    }

    private static void awaitConnected(ClientLoop loop, VirtualClients clients, int... slots) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int slot : slots) {
            while (!loop.loop().submit(() -> clients.connected(slot)).get()) {
                assertThat(System.nanoTime()).as("device " + slot + " connects").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    private static Heard next(BlockingQueue<Heard> heard, BlockingQueue<Throwable> failures) throws Exception {
        Heard next = heard.poll(10, TimeUnit.SECONDS);
        assertThat(failures).isEmpty();
        assertThat(next).as("a frame within 10 s").isNotNull();
        return next;
    }
}
