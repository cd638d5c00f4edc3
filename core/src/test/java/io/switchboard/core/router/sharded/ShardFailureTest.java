package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.RecordingOutbound;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.router.ConnectionRef;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A command that throws fails alone: its sender gets {@code internal} for it, the failure is counted, and the shard
 * goes on with the next command (before, the sender waited forever for an ack that never came).
 */
class ShardFailureTest {
    private static final long SENDER = 1;
    private static final long FINE = 2;
    /** A recipient whose devices the directory cannot say: a send to it throws inside the shard. */
    private static final long BROKEN = 3;

    private final InvokedShards shards = new InvokedShards(1, 64, user -> {
        if (user == BROKEN) {
            throw new IllegalStateException("the directory is broken for user " + user);
        }
        return 1L << InvokedShards.DEVICE;
    });

    @AfterEach
    void close() {
        shards.close();
    }

    private static Frame send(long id, long to) {
        byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
        return new Frame()
                .reset(FrameType.SEND)
                .id(id)
                .toUser(to)
                .addEnvelope(InvokedShards.DEVICE, EnvelopeType.PLAIN, new UnsafeBuffer(body), 0, body.length);
    }

    @Test
    void shouldAnswerInternalToTheSenderOfACommandThatThrowsAndGoOnWithTheNext() {
        long connection = ConnectionRef.of(SENDER, 0);
        shards.router.send(SENDER, InvokedShards.DEVICE, connection, send(1, BROKEN), System.nanoTime());
        shards.router.send(SENDER, InvokedShards.DEVICE, connection, send(2, FINE), System.nanoTime());

        shards.invoker(0).invoke();
        shards.loop.runTasks();

        assertThat(shards.loop.recorder.take())
                .hasSize(2)
                .first()
                .isEqualTo(
                        new RecordingOutbound.Error(connection, ErrorCode.INTERNAL, 1, CommandFailures.MESSAGE, 0, 0));
        assertThat(shards.metrics.total(ShardCounter.COMMANDS_FAILED)).isEqualTo(1);
        assertThat(shards.metrics.total(ShardCounter.MESSAGES_ACCEPTED))
                .as("the next send")
                .isEqualTo(1);
    }
}
