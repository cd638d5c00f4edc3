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

/**
 * Frames written behind their own header read back whole through Netty's decoder: the server's as a client reads them,
 * a client's (masked) as the server reads them.
 */
class DataFrameHeaderTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 125, 126, 127, 65_535, 65_536, 70_000})
    void shouldFrameEveryLengthAsOneFinalFrameMaskedOrNot(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        for (boolean binary : new boolean[] {true, false}) {
            ByteBuf server = Unpooled.buffer(DataFrameHeader.bytes(length) + length);
            DataFrameHeader.write(server, binary, length);
            assertThat(server.readableBytes()).isEqualTo(DataFrameHeader.bytes(length));
            server.writeBytes(payload);
            assertReadsBack(server, false, binary, payload);

            ByteBuf client = Unpooled.buffer(DataFrameHeader.maskedBytes(length) + length);
            DataFrameHeader.writeMasked(client, binary, payload, 0, length, 0x5A3C_F00D);
            assertThat(client.readableBytes()).isEqualTo(DataFrameHeader.maskedBytes(length) + length);
            assertReadsBack(client, true, binary, payload);
        }
    }

    /** Reads {@code framed} as the server (masked) or a client does: one final frame of {@code payload}. */
    private static void assertReadsBack(ByteBuf framed, boolean masked, boolean binary, byte[] payload) {
        EmbeddedChannel reader = new EmbeddedChannel(new WebSocket08FrameDecoder(masked, false, 1 << 20));
        reader.writeInbound(framed);
        WebSocketFrame frame = reader.readInbound();
        try {
            assertThat(frame).isInstanceOf(binary ? BinaryWebSocketFrame.class : TextWebSocketFrame.class);
            assertThat(frame.isFinalFragment()).isTrue();
            byte[] read = new byte[frame.content().readableBytes()];
            frame.content().readBytes(read);
            assertThat(read).isEqualTo(payload);
            assertThat((Object) reader.readInbound()).isNull();
        } finally {
            ReferenceCountUtil.release(frame);
            reader.finishAndReleaseAll();
        }
    }
}
