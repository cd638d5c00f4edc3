package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The way an upload's body takes from the I/O loop to the store: the loop stops reading from the socket while more
 * than the high mark waits for a store that is behind, and reads again once the store has taken it below the low mark.
 */
class UploadPipeTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final UploadPipe pipe = new UploadPipe(channel, 100, 40);

    private static ByteBuf chunk(int size) {
        return Unpooled.wrappedBuffer(new byte[size]);
    }

    @Test
    void shouldStopReadingWhileTheStoreIsBehindAndResumeOnceItCaughtUp() throws IOException {
        pipe.offer(chunk(60));
        assertThat(channel.config().isAutoRead()).isTrue();
        pipe.offer(chunk(60));
        assertThat(channel.config().isAutoRead())
                .as("120 bytes wait, above the high mark")
                .isFalse();

        byte[] into = new byte[50];
        assertThat(pipe.read(into, 0, 50)).isEqualTo(50);
        assertThat(channel.config().isAutoRead())
                .as("70 bytes wait, above the low mark")
                .isFalse();
        assertThat(pipe.read(into, 0, 50)).isEqualTo(10);
        assertThat(pipe.read(into, 0, 50)).isEqualTo(50);
        assertThat(channel.config().isAutoRead())
                .as("10 bytes wait, below the low mark")
                .isTrue();

        pipe.end();
        assertThat(pipe.read(into, 0, 50)).isEqualTo(10);
        assertThat(pipe.read(into, 0, 50)).isEqualTo(-1);
    }

    @Test
    void shouldFailTheStoreAndReleaseWhatWaitsWhenTheClientGoesAway() {
        ByteBuf waiting = chunk(150);
        pipe.offer(waiting);
        pipe.abort();

        assertThat(waiting.refCnt()).isZero();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThatThrownBy(() -> pipe.read(new byte[10], 0, 10)).isInstanceOf(IOException.class);
        ByteBuf late = chunk(10);
        pipe.offer(late);
        assertThat(late.refCnt()).as("a chunk after the abort is dropped").isZero();
    }
}
