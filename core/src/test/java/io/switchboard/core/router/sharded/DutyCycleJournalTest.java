package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.journal.ChronicleJournal;
import io.switchboard.core.journal.RecordingReplay;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.router.ConnectionRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard over a real Chronicle journal, stepped one duty cycle at a time: the acknowledgements a cycle held back to
 * write several to a record are in the journal when the cycle ends, not only when the journal closes, so that a
 * process that dies between cycles delivers none of them again.
 */
class DutyCycleJournalTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;

    @TempDir
    Path data;

    @Test
    void shouldHaveWrittenTheAcknowledgementsOfADutyCycleWhenItEnds() {
        long alice = ConnectionRef.of(1, 0);
        long bob = ConnectionRef.of(2, 0);
        try (InvokedShards shards = new InvokedShards(
                1, 1, 64, user -> 1L << InvokedShards.DEVICE, Map.of("journal.type", "chronicle"), data)) {
            shards.router.open(ALICE, InvokedShards.DEVICE, alice, false);
            shards.router.open(BOB, InvokedShards.DEVICE, bob, false);
            for (long id = 1; id <= 3; id++) {
                send(shards, alice, id);
            }
            step(shards);
            shards.router.recv(BOB, InvokedShards.DEVICE, 1);
            shards.router.recv(BOB, InvokedShards.DEVICE, 2);

            step(shards);

            assertThat(acknowledged(shards.journals.directory("shard-0"))).containsExactly("2/1 seq 1", "2/1 seq 2");
        }
    }

    private static void step(InvokedShards shards) {
        shards.invoker(0).invoke();
        shards.loop.runTasks();
    }

    private static void send(InvokedShards shards, long connection, long id) {
        byte[] body = ("message " + id).getBytes(StandardCharsets.UTF_8);
        Frame send = new Frame()
                .reset(FrameType.SEND)
                .id(id)
                .toUser(BOB)
                .addEnvelope(InvokedShards.DEVICE, EnvelopeType.MSG, new UnsafeBuffer(body), 0, body.length);
        assertThat(shards.router.send(ALICE, InvokedShards.DEVICE, connection, send, System.nanoTime()))
                .isTrue();
    }

    /** The acknowledgements in the journal, read by a journal of its own while the shard's is open. */
    private static List<String> acknowledged(Path directory) {
        ChronicleJournal reader = ChronicleJournal.open(directory, JournalContext.ROLL_CYCLE_DEFAULT.rollCycle());
        try {
            return RecordingReplay.replayed(reader).stream()
                    .filter(line -> line.startsWith("acknowledged "))
                    .map(line -> line.substring("acknowledged ".length()))
                    .toList();
        } finally {
            reader.close();
        }
    }
}
