package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * What a flood past what the server can deliver soon must come to, whichever routing held it up: every send answered
 * once, acknowledged or refused with {@code unavailable} and a {@code retryAfterMs}, never both; and the recipient
 * gets every acknowledged message once and nothing refused. Subclasses stall the server their routing's way.
 */
abstract class OverloadContract extends ServerContract {
    static final long CAROL = 7;
    /** How long the server stays stalled: well past any send wait its settings allow. */
    static final long STALL_MS = 300;

    static Frame send(long id, long to) {
        byte[] body = ("message " + id).getBytes(StandardCharsets.US_ASCII);
        return new Frame().reset(FrameType.SEND).id(id).toUser(to).addEnvelope(1, EnvelopeType.MSG, body);
    }

    /** The answers to {@code count} sends, read from {@code sender} (receipts skipped). */
    static Answers answers(TestClient sender, int count) {
        Answers answers = new Answers(new HashSet<>(), new HashSet<>());
        while (answers.acked().size() + answers.refused().size() < count) {
            Frame answer = sender.next();
            if (answer.type() == FrameType.RECEIPT) {
                continue;
            }
            if (answer.type() == FrameType.ACK) {
                assertThat(answers.acked().add(answer.id()))
                        .as("one answer for %s", answer)
                        .isTrue();
            } else {
                assertThat(answer.type()).as(answer.toString()).isEqualTo(FrameType.ERROR);
                assertThat(answer.code()).as(answer.toString()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(answer.retryAfterMs()).as(answer.toString()).isPositive();
                assertThat(answers.refused().add(answer.id()))
                        .as("one answer for %s", answer)
                        .isTrue();
            }
        }
        assertThat(answers.acked()).noneMatch(answers.refused()::contains);
        return answers;
    }

    /** Reads {@code expected}'s messages from {@code recipient}, each once and acknowledged, and nothing else. */
    void expectDeliveredOnce(TestClient recipient, Set<Long> expected) {
        Set<Long> delivered = new HashSet<>();
        while (delivered.size() < expected.size()) {
            Frame msg = recipient.expect(FrameType.MSG);
            assertThat(delivered.add(msg.id())).as("delivered once: %s", msg).isTrue();
            recipient.send(recv(msg.seq()));
        }
        assertThat(delivered).isEqualTo(expected);
        expectNothing(recipient);
    }

    record Answers(Set<Long> acked, Set<Long> refused) {}
}
