package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.net.ClientLoop;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media oracle against a real server and its file store: blobs go up encrypted and come down checked, and a blob
 * changed in the store after its upload is counted corrupt, not delivered as a picture.
 */
@Timeout(60)
class MediaMessagesTest {
    private static final VirtualClients.Tokens TOKENS = (user, device) -> ClientLoop.token(1, user, device);

    @TempDir
    Path data;

    private SwitchboardServer server;
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private MediaMessages media;

    @BeforeEach
    void start() throws Exception {
        Settings settings = Settings.empty().with("server.port", 0, "test").with("server.data", data, "test");
        server = SwitchboardServer.start(ServerContext.conclude(settings));
        server.accounts().registerAll(1, 2, 1, user -> TOKENS.token(user, 1));
        Path file = Files.writeString(data.resolve("media.yaml"), """
                # Question: are blobs checked?
                users: 2
                messages:
                  mediaShare: 1
                  mediaBytes: 1000..300000
                """);
        Scenario scenario = ScenarioLoader.load(file);
        media = new MediaMessages(scenario, new DeviceSlots(1), TOKENS, loop, URI.create(server.httpUrl()));
    }

    @AfterEach
    void stop() {
        media.close();
        server.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Uploads arrival {@code arrival}'s blob from user 1's device and returns what its message would carry. */
    private MediaMessages.Ref upload(long arrival) throws Exception {
        CompletableFuture<MediaMessages.Ref> stored = new CompletableFuture<>();
        loop.execute(
                () -> media.upload(null, 0, 1, arrival, (clients, sender, recipient, ref) -> stored.complete(ref)));
        return stored.get(30, TimeUnit.SECONDS);
    }

    /** The plaintext user 2's device opens for {@code ref}: the key and digests after index, time and digest. */
    private static UnsafeBuffer plaintext(MediaMessages.Ref ref) {
        UnsafeBuffer body = new UnsafeBuffer(new byte[MediaMessages.MIN_BODY_BYTES]);
        MediaMessages.writeBody(ref, body);
        return body;
    }

    /** The message that names the blob, as the server delivers it. */
    private static Frame message(MediaMessages.Ref ref) {
        return new Frame()
                .reset(FrameType.MSG)
                .media(ref.id(), ref.size())
                .addEnvelope(1, EnvelopeType.PLAIN, plaintext(ref).byteArray());
    }

    private Map<String, Object> checked(MediaMessages.Ref... refs) throws Exception {
        loop.submit(() -> {
                    for (MediaMessages.Ref ref : refs) {
                        media.delivered(1, message(ref), plaintext(ref), MediaMessages.MIN_BODY_BYTES);
                    }
                })
                .get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!loop.submit(media::idle).get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return loop.submit(() -> media.toJson(refs.length)).get();
    }

    @Test
    void shouldVerifyBlobsThatCameBackAsUploadedAndCountTheirStorage() throws Exception {
        MediaMessages.Ref first = upload(1);
        MediaMessages.Ref second = upload(2);

        Map<String, Object> figures = checked(first, second);

        assertThat(figures)
                .containsEntry("uploads", 2L)
                .containsEntry("verified", 2L)
                .containsEntry("corrupt", 0L);
        assertThat(figures.get("storedBytes")).isEqualTo(first.size() + second.size());
        assertThat(first.size()).isGreaterThan(1000).isNotEqualTo(second.size());
    }

    @Test
    void shouldCountABlobChangedInTheStoreAsCorrupt() throws Exception {
        MediaMessages.Ref intact = upload(1);
        MediaMessages.Ref changed = upload(2);
        Path stored;
        try (Stream<Path> files = Files.walk(data)) {
            // The file store keeps a blob as blobs/<id>/<owner>: the one regular file under the blob's directory.
            stored = files.filter(file -> Files.isRegularFile(file)
                            && file.getParent().getFileName().toString().equals(changed.id()))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 1;
        Files.write(stored, bytes);

        Map<String, Object> figures = checked(intact, changed);

        assertThat(figures)
                .containsEntry("downloads", 2L)
                .containsEntry("verified", 1L)
                .containsEntry("corrupt", 1L);
    }
}
