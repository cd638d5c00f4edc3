package io.switchboard.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.router.sharded.ShardedRouter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A real WebSocket client for tests ({@code java.net.http}), speaking sb.json.v1 or sb.bin.v1 with the project's
 * codecs. Frames received are queued as bytes and decoded when a test takes them. Thread-safe for one test thread.
 */
public final class TestClient implements WebSocket.Listener, AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The first of the user ids {@link #expectNothingFromAnyShard} uses: never registered. */
    private static final long NOBODY = 1_000_000_000L;

    private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partialText = new StringBuilder();
    private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
    private final WireCodec codec;
    private final boolean autoRead;
    private WebSocket socket;

    private TestClient(WireCodec codec, boolean autoRead) {
        this.codec = codec;
        this.autoRead = autoRead;
    }

    /** Connects with subprotocol sb.json.v1. */
    public static TestClient connect(URI uri) {
        return connect(uri, true);
    }

    /**
     * @param autoRead false for a client that reads nothing until {@link #startReading()}: a slow reader
     */
    public static TestClient connect(URI uri, boolean autoRead) {
        return connect(uri, WireCodec.JSON, autoRead);
    }

    /** Connects asking for {@code codec}'s subprotocol; see {@link #connect(URI, boolean)} for {@code autoRead}. */
    public static TestClient connect(URI uri, WireCodec codec, boolean autoRead) {
        TestClient client = new TestClient(codec, autoRead);
        client.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .subprotocols(codec.subprotocol())
                .connectTimeout(TIMEOUT)
                .buildAsync(uri, client)
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (autoRead) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partialText.append(data);
        if (last) {
            received.add(partialText.toString().getBytes(StandardCharsets.UTF_8));
            partialText.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partialBinary.writeBytes(bytes);
        if (last) {
            received.add(partialBinary.toByteArray());
            partialBinary.reset();
        }
        webSocket.request(1);
        return null;
    }

    /** The encoding this client speaks. */
    public WireCodec codec() {
        return codec;
    }

    /** The subprotocol the server's handshake answer named, empty when none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    /** Lets a client made with autoRead false start reading. */
    public void startReading() {
        socket.request(1);
    }

    public void send(Frame frame) {
        if (codec == WireCodec.BINARY) {
            sendBinary(new BinaryFrameEncoder().encode(frame));
        } else {
            sendText(new JsonFrameEncoder().encodeToString(frame));
        }
    }

    public void sendText(String json) {
        socket.sendText(json, true)
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /**
     * Sends a frame the server may refuse before it has all of it (an oversize frame): the server may close while the
     * client is still writing, which fails the write but not the test.
     */
    public void sendTextMayBeCutOff(String json) {
        mayBeCutOff(() -> sendText(json));
    }

    /**
     * As {@link #sendTextMayBeCutOff}, for a binary message, sent in 16 KiB fragments as the JDK's client sends a long
     * text: the server then refuses it once the fragments pass the limit, having read them. (One frame declaring more
     * than the limit is refused at its header while the client still writes, and the close may then reset the
     * connection before the client reads the error.)
     */
    public void sendBinaryMayBeCutOff(byte[] bytes) {
        mayBeCutOff(() -> {
            int fragment = 16 * 1024;
            for (int offset = 0; offset < bytes.length; offset += fragment) {
                int length = Math.min(fragment, bytes.length - offset);
                socket.sendBinary(ByteBuffer.wrap(bytes, offset, length), offset + length == bytes.length)
                        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .join();
            }
        });
    }

    private static void mayBeCutOff(Runnable send) {
        try {
            send.run();
        } catch (java.util.concurrent.CompletionException expected) {
            // The server answered and closed before the whole frame was written.
        }
    }

    /** Sends hello and expects welcome. */
    public TestClient hello(long user, int device, String token) {
        return hello(user, device, token, false);
    }

    /** Sends hello, asking for acknowledged receipts or not, and expects a welcome that says the same. */
    public TestClient hello(long user, int device, String token, boolean receiptAcks) {
        send(new Frame()
                .reset(FrameType.HELLO)
                .user(user)
                .device(device)
                .token(token)
                .receiptAcks(receiptAcks));
        Frame welcome = expect(FrameType.WELCOME);
        assertThat(welcome.user()).isEqualTo(user);
        assertThat(welcome.device()).isEqualTo(device);
        assertThat(welcome.receiptAcks()).isEqualTo(receiptAcks);
        return this;
    }

    /** The next frame, decoded; fails after {@link #TIMEOUT}. */
    public Frame next() {
        Frame frame = next(TIMEOUT);
        if (frame == null) {
            fail("no frame within " + TIMEOUT);
        }
        return frame;
    }

    /** The next frame, decoded in this client's encoding, or null after {@code timeout}. */
    public Frame next(Duration timeout) {
        byte[] bytes = poll(timeout);
        if (bytes == null) {
            return null;
        }
        Frame frame = new Frame();
        if (codec == WireCodec.BINARY) {
            new BinaryFrameDecoder().decode(new UnsafeBuffer(bytes), 0, bytes.length, frame);
        } else {
            new JsonFrameDecoder().decode(new UnsafeBuffer(bytes), 0, bytes.length, frame);
        }
        return frame;
    }

    /** The next frame's text, undecoded (an sb.json.v1 client's), or null after {@code timeout}. */
    public String nextText(Duration timeout) {
        byte[] bytes = poll(timeout);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private byte[] poll(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Frame decode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Frame frame = new Frame();
        new JsonFrameDecoder().decode(new UnsafeBuffer(bytes), 0, bytes.length, frame);
        return frame;
    }

    /** The next frame, which must be of this type. */
    public Frame expect(FrameType type) {
        Frame frame = next();
        if (frame.type() != type) {
            fail("expected '" + type.wireName() + "' but got " + frame);
        }
        return frame;
    }

    /**
     * Sends {@code probe} and requires the next frame to be of type {@code answer}: whatever the server had sent this
     * client on the probe's path before the probe came first. Unlike waiting a while for nothing, this cannot pass on a
     * slow machine just because a frame that must not come is late.
     */
    public Frame expectNothingBefore(Frame probe, FrameType answer) {
        send(probe);
        Frame frame = next(TIMEOUT);
        if (frame == null) {
            fail("no '" + answer.wireName() + "' within " + TIMEOUT);
        }
        if (frame.type() != answer) {
            fail("expected no frame before '" + answer.wireName() + "' but got " + frame);
        }
        return frame;
    }

    /**
     * Fails if the server has sent, or is about to send, this client any frame. A pong only fences what the
     * connection's own I/O thread writes; frames from the owners of user state (the shards, or the locked router on
     * any I/O thread) are fenced by asking every owner for something that only it answers: a presence subscription to
     * a user that does not exist, refused with {@code unknown_recipient} by the owner of that user and changing
     * nothing. Two rounds, because a frame can be one hop away, still in another owner's peer ring or mailbox (a
     * receipt on its way to the sender's owner, a group message on its way to a member's owner): the first round
     * passes every owner after the command that started the hop, the second after the hop itself.
     *
     * @param shards the owners of user state: {@code router.shards} for sharded routing, 1 for locked routing
     */
    public void expectNothingFromAnyShard(int shards) {
        for (int round = 0; round < 2; round++) {
            for (int shard = 0; shard < shards; shard++) {
                Frame refused = expectNothingBefore(
                        new Frame().reset(FrameType.SUB).user(nobodyOnShard(shard, shards)), FrameType.ERROR);
                assertThat(refused.code()).as(refused.toString()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
            }
            expectNothingBefore(new Frame().reset(FrameType.PING), FrameType.PONG);
        }
    }

    /** A user id no test registers, owned by {@code shard} of {@code shards}. */
    private static long nobodyOnShard(int shard, int shards) {
        for (long user = NOBODY; ; user++) {
            if (ShardedRouter.shardOf(user, shards) == shard) {
                return user;
            }
        }
    }

    /** The close code the server sent, or -1 if the connection failed without one. */
    public int awaitClose() {
        return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Sends raw bytes as one binary frame. */
    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true)
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
