package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames the server writes behind its own header read back whole through Netty's decoder, as a client reads them. */
class DataFrameHeaderTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
    void shouldFrameEveryLengthAsOneFinalFrame(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        for (boolean binary : new boolean[] {true, false}) {
            ByteBuf framed = Unpooled.buffer(DataFrameHeader.bytes(length) + length);
            DataFrameHeader.write(framed, binary, length);
            assertThat(framed.readableBytes()).isEqualTo(DataFrameHeader.bytes(length));
            framed.writeBytes(payload);

            EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
            client.writeInbound(framed);
            WebSocketFrame frame = client.readInbound();
            try {
                assertThat(frame).isInstanceOf(binary ? BinaryWebSocketFrame.class : TextWebSocketFrame.class);
                assertThat(frame.isFinalFragment()).isTrue();
                byte[] read = new byte[frame.content().readableBytes()];
                frame.content().readBytes(read);
                assertThat(read).isEqualTo(payload);
                assertThat((Object) client.readInbound()).isNull();
            } finally {
                ReferenceCountUtil.release(frame);
                client.finishAndReleaseAll();
            }
        }
    }
}
