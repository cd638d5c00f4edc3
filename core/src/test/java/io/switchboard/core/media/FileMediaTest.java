package io.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.metrics.MediaCounter;
import io.switchboard.core.testing.TestClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The media contract on the file store, and what the file store adds: a half-written blob is never visible, and a
 * blob's owner is kept beside it.
 */
class FileMediaTest extends MediaContract {
    @Override
    Map<String, Object> storeSettings() {
        return Map.of();
    }

    private Path blobs() {
        return data.resolve("media").resolve("blobs");
    }

    private Path tmp() {
        return data.resolve("media").resolve("tmp");
    }

    private static long count(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @Override
    long stored() throws IOException {
        return count(blobs());
    }

    @Test
    void shouldWriteAnUploadAsidAndRenameItWhole() throws IOException {
        abandonUpload(BLOB_BYTES, BLOB_BYTES / 2);
        await().atMost(TestClient.TIMEOUT).until(() -> server.total(MediaCounter.UPLOADS_ABORTED) == 1);
        assertThat(count(tmp())).as("the half-written file is deleted").isZero();

        String id = uploaded(blob(BLOB_BYTES));
        assertThat(Files.size(blobs().resolve(id).resolve(Long.toString(ALICE))))
                .as("the blob, under its owner")
                .isEqualTo(BLOB_BYTES);
        assertThat(count(tmp())).isZero();
    }

    /** What a killed server leaves half-written in tmp is deleted at the next start, and never served. */
    @Test
    void shouldDeleteHalfWrittenBlobsOfAKilledServerAtStart() throws IOException {
        String id = MediaIds.next();
        Path part = Files.createDirectory(tmp().resolve(id + FileMediaStore.PART));
        Files.write(part.resolve(Long.toString(ALICE)), blob(1000));
        assertThat(download(id, bobToken).statusCode()).isEqualTo(404);

        start(Map.of());
        assertThat(count(tmp())).isZero();
        assertThat(download(id, bobToken).statusCode()).isEqualTo(404);
    }

    /** A data directory of a server from before blobs had owners: its blobs are served and fill the store's bound. */
    @Test
    void shouldServeAndCountBlobsStoredBeforeBlobsHadOwners() throws IOException {
        String id = MediaIds.next();
        byte[] bytes = blob(QUOTA_BLOB_BYTES);
        Files.write(blobs().resolve(id), bytes);
        start(Map.of("media.maxStoreBytes", QUOTA));

        HttpResponse<byte[]> fetched = download(id, bobToken);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);
        assertThat(upload(blob(QUOTA_BLOB_BYTES), aliceToken).statusCode()).isEqualTo(503);
        uploaded(blob(1));
    }
}
