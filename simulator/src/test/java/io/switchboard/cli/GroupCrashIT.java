package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.simulator.fault.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group messages and {@code kill -9}: the server runs as a user runs it (the launcher, a separate JVM); Alice sends a
 * stream of group messages to Bob (online, acknowledging as they come) and Carol (offline), and the JVM is killed
 * while messages are in flight. After a restart every message Alice had an ack for reaches both members, in order
 * (a message may come twice: at least once), and the group is still there.
 */
@Tag("slow")
@Timeout(300)
class GroupCrashIT {
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final long CAROL = 3;
    private static final int MESSAGES = 20_000;
    /** How long a member's drain may take after the restart: generous, as only a failing run waits for it. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void shouldDeliverEveryAcknowledgedGroupMessageAfterKill9() throws Exception {
        Path data = temp.resolve("data");
        int port = ServerProcess.freePort();
        ServerProcess first = ServerProcess.start(temp.resolve("first.log"), port, data, List.of());
        TreeSet<Long> acked = new TreeSet<>();
        // What Bob had (and acknowledged) before the kill: it is not sent again, and it counts as his.
        List<Long> bobBefore = new ArrayList<>();
        String aliceToken;
        String bobToken;
        String carolToken;
        try {
            aliceToken = first.register(ALICE);
            bobToken = first.register(BOB);
            carolToken = first.register(CAROL);
            try (TestClient alice = TestClient.connect(first.ws()).hello(ALICE, 1, aliceToken);
                    TestClient bob = TestClient.connect(first.ws()).hello(BOB, 1, bobToken)) {
                alice.send(new Frame()
                        .reset(FrameType.GROUP_CREATE)
                        .req(1)
                        .group("crash")
                        .addMember(BOB)
                        .addMember(CAROL));
                assertThat(alice.expect(FrameType.RESULT).ok()).isTrue();
                for (long id = 1; id <= MESSAGES; id++) {
                    alice.send(groupSend(id));
                }
                // Take acks until a fair share is in, acknowledging Bob's messages meanwhile, then kill mid-stream.
                while (acked.size() < MESSAGES / 4) {
                    collect(alice, acked);
                    acknowledgeSome(bob, bobBefore);
                }
                first.kill9();
                // Acks that reached the client before the kill count too.
                for (String text; (text = alice.nextText(Duration.ZERO)) != null; ) {
                    Frame frame = TestClient.decode(text);
                    if (frame.type() == FrameType.ACK) {
                        acked.add(frame.id());
                    }
                }
            }
        } finally {
            first.destroy();
        }
        assertThat(acked)
                .as("some group messages were acknowledged before the kill")
                .isNotEmpty();

        ServerProcess second = ServerProcess.start(temp.resolve("second.log"), port, data, List.of());
        try {
            for (long member : new long[] {BOB, CAROL}) {
                String token = member == BOB ? bobToken : carolToken;
                try (TestClient client = TestClient.connect(second.ws()).hello(member, 1, token)) {
                    List<Long> ids = drain(client, member == BOB ? bobBefore : List.of(), acked);
                    assertThat(ids).as("user " + member + " gets them in order").isSortedAccordingTo(Long::compare);
                    assertThat(new TreeSet<>(ids))
                            .as("user " + member + " has every acknowledged group message")
                            .containsAll(acked);
                }
            }
            try (TestClient alice = TestClient.connect(second.ws()).hello(ALICE, 1, aliceToken)) {
                alice.send(new Frame().reset(FrameType.GROUP_INFO).req(2).group("crash"));
                Frame info = nextOf(alice, FrameType.RESULT);
                assertThat(info.members().toLongArray()).containsExactly(ALICE, BOB, CAROL);
            }
        } finally {
            second.destroy();
        }
    }

    private static Frame groupSend(long id) {
        return new Frame()
                .reset(FrameType.SEND)
                .id(id)
                .toGroup("crash")
                .addEnvelope(0, EnvelopeType.SKMSG, ("group " + id).getBytes(StandardCharsets.UTF_8));
    }

    private static void collect(TestClient alice, TreeSet<Long> acked) {
        String text = alice.nextText(Duration.ofMillis(50));
        if (text != null) {
            Frame frame = TestClient.decode(text);
            if (frame.type() == FrameType.ACK) {
                acked.add(frame.id());
            }
        }
    }

    private static void acknowledgeSome(TestClient bob, List<Long> received) {
        for (String text; (text = bob.nextText(Duration.ZERO)) != null; ) {
            Frame frame = TestClient.decode(text);
            if (frame.type() == FrameType.MSG) {
                received.add(frame.id());
                bob.send(new Frame().reset(FrameType.RECV).seq(frame.seq()));
            }
        }
    }

    /**
     * Group messages, acknowledged as they come, until every id in {@code expected} is in, or {@link #DEADLINE}: the ids
     * new to the member in arrival order, after those it had before the kill. A message delivered before the kill and
     * not acknowledged may come again (at least once): a repeat of an id already had is dropped, wherever it comes, but
     * every new id is kept, so an id that arrives after a higher one is a reordering the caller sees.
     */
    private static List<Long> drain(TestClient client, List<Long> before, Set<Long> expected) {
        List<Long> ids = new ArrayList<>(before);
        Set<Long> had = new HashSet<>(before);
        long deadlineNs = System.nanoTime() + DEADLINE.toNanos();
        while (!had.containsAll(expected)) {
            long leftNs = deadlineNs - System.nanoTime();
            String text = leftNs > 0 ? client.nextText(Duration.ofNanos(leftNs)) : null;
            if (text == null) {
                break;
            }
            Frame frame = TestClient.decode(text);
            if (frame.type() != FrameType.MSG) {
                continue;
            }
            client.send(new Frame().reset(FrameType.RECV).seq(frame.seq()));
            if (had.add(frame.id())) {
                ids.add(frame.id());
            }
        }
        return ids;
    }

    private static Frame nextOf(TestClient client, FrameType type) {
        while (true) {
            Frame frame = client.next();
            if (frame.type() == type) {
                return frame;
            }
        }
    }
}
