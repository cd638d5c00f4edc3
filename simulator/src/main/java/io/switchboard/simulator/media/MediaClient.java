package io.switchboard.simulator.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.simulator.net.HttpRetries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A virtual phone's side of the media service (protocol.md, Media) over real HTTP/1.1: {@code POST /v1/media} of an
 * encrypted file and {@code GET /v1/media/{id}}, each authenticated by the device's token, each sent again when the
 * server refuses it for now ({@link HttpRetries}). Thread-safe; the answers complete on {@code executor}.
 */
public final class MediaClient {
    /** An upload the server took: the blob's id and the size it stored. */
    public record Stored(String id, long size) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Tries of a transfer the server refused for now (503: its media transfers all busy; 429: the upload rate). */
    private static final int TRIES = 5;

    private final URI base;
    private final HttpClient http;

    /** @param base the server's HTTP address, {@code http://host:port} */
    public MediaClient(URI base, Executor executor) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .executor(executor)
                .build();
    }

    public CompletableFuture<Stored> upload(String token, byte[] file) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/media"))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file))
                .build();
        return HttpRetries.send(http, request, HttpResponse.BodyHandlers.ofString(), TRIES)
                .thenApply(response -> {
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("upload: " + response.statusCode() + " " + response.body());
                    }
                    try {
                        JsonNode stored = JSON.readTree(response.body());
                        return new Stored(
                                stored.get("id").asText(), stored.get("size").asLong());
                    } catch (IOException e) {
                        throw new IllegalStateException("upload: not the JSON of a stored blob: " + response.body(), e);
                    }
                });
    }

    public CompletableFuture<byte[]> download(String token, String id) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/media/" + id))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return HttpRetries.send(http, request, HttpResponse.BodyHandlers.ofByteArray(), TRIES)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("download " + id + ": " + response.statusCode());
                    }
                    return response.body();
                });
    }
}
