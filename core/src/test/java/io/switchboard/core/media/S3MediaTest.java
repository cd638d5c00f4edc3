package io.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.metrics.MediaCounter;
import io.switchboard.core.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The media contract on S3 (S3Proxy in this JVM), and a store that is down: 503, and nothing half-written kept. */
class S3MediaTest extends MediaContract {
    private S3ProxyServer s3;

    @Override
    Map<String, Object> storeSettings() {
        if (s3 == null) {
            try {
                s3 = new S3ProxyServer();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
        }
        return s3.settings();
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.close();
    }

    /**
     * Objects under a media id: what a client could fetch. S3Proxy's in-memory store leaves an empty object under a key
     * of its own ({@code <key>-<uuid>}) when a PUT's body breaks off; no id names it, so no client can fetch it.
     */
    @Override
    long stored() {
        return s3.objects().stream()
                .filter(object -> MediaIds.valid(object.key()))
                .count();
    }

    @Test
    void shouldAnswer503WhileTheStoreIsDownAndKeepNothingOfWhatFailed() throws Exception {
        String before = uploaded(blob(1000));
        // Under the full suite S3Proxy now and then fails an upload's first attempt, which uploaded() tries again.
        long errorsBefore = server.total(MediaCounter.STORE_ERRORS);
        s3.stop();

        HttpResponse<String> refused = upload(blob(BLOB_BYTES), aliceToken);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(TestServer.json(refused.body()).path("error").asText()).isEqualTo("unavailable");
        assertThat(download(before, bobToken).statusCode()).isEqualTo(503);
        assertThat(server.total(MediaCounter.STORE_ERRORS))
                .as("the upload's and the download's")
                .isEqualTo(errorsBefore + 2);

        s3.restart();
        assertThat(s3.objects()).extracting(object -> object.key()).containsExactly(before);
        assertThat(download(before, bobToken).statusCode()).isEqualTo(200);
    }
}
