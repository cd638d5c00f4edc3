package io.switchboard.simulator.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.HttpRetries;
import io.switchboard.simulator.net.VirtualClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of the key distribution center (protocol.md, Keys) over HTTP: uploads and bundle fetches, each
 * authenticated with the calling device's token. Asynchronous: answers complete on the HTTP client's threads, so a
 * caller on an event loop hands them back to it. A 429 (the server's rate limit on fetches) or 503 is tried again after
 * the {@code Retry-After} it names ({@link HttpRetries}); any other status fails the future. Thread-safe.
 */
public final class KeyServer {
    /** What the server calls a device's token for this user and device. */
    @FunctionalInterface
    public interface Tokens {
        String token(long user, int device);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIES = 5;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final Tokens tokens;

    /** @param httpUrl the server's {@code http://host:port} */
    public KeyServer(String httpUrl, Tokens tokens) {
        this.base = httpUrl;
        this.tokens = tokens;
    }

    /**
     * Every device's registration upload (identity, signed pre-key, last-resort Kyber pre-key, {@code oneTimeKeys}
     * one-time keys of each kind), as each would send it when it registers, 16 at a time; a companion's identity is
     * its account's. Blocks until all are stored; call before the devices connect.
     */
    public void registerAll(SignalDevices devices, DeviceSlots slots, int users, int oneTimeKeys) {
        CompletableFuture<?>[] window = new CompletableFuture<?>[16];
        for (int slot = 0; slot < slots.count(users); slot++) {
            int k = slot % window.length;
            if (window[k] != null) {
                window[k].join();
            }
            window[k] = upload(
                    VirtualClients.userOf(slots.user(slot)),
                    slots.device(slot),
                    devices.registration(slot, oneTimeKeys));
        }
        for (CompletableFuture<?> upload : window) {
            if (upload != null) {
                upload.join();
            }
        }
    }

    /** {@code PUT /v1/keys} as device {@code device} of {@code user}. */
    public CompletableFuture<JsonNode> upload(long user, int device, byte[] json) {
        return call(
                HttpRequest.newBuilder(URI.create(base + "/v1/keys"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(json))
                        .header("Content-Type", "application/json"),
                user,
                device);
    }

    /**
     * {@code GET /v1/keys/{user}} (every device: {@code ofDevice} 0) or {@code GET /v1/keys/{user}/{device}}, as
     * device {@code callerDevice} of {@code caller}.
     */
    public CompletableFuture<JsonNode> fetch(long caller, int callerDevice, long user, int ofDevice) {
        String path = "/v1/keys/" + user + (ofDevice == 0 ? "" : "/" + ofDevice);
        return call(HttpRequest.newBuilder(URI.create(base + path)).GET(), caller, callerDevice);
    }

    private CompletableFuture<JsonNode> call(HttpRequest.Builder request, long user, int device) {
        return call(
                request.header("Authorization", "Bearer " + tokens.token(user, device))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                TRIES);
    }

    private CompletableFuture<JsonNode> call(HttpRequest built, int tries) {
        return HttpRetries.send(http, built, HttpResponse.BodyHandlers.ofByteArray(), tries)
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(
                                built.method() + " " + built.uri().getPath() + ": " + response.statusCode() + " "
                                        + new String(response.body(), StandardCharsets.UTF_8));
                    }
                    try {
                        return JSON.readTree(response.body());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
