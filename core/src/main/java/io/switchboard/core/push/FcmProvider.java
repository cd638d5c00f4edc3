package io.switchboard.core.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.config.PushContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FCM HTTP v1 ({@code POST {endpoint}/v1/projects/{project}/messages:send}) on the JDK's HTTP client, with an access
 * token from {@link FcmAccessTokens}. Each push is a high-priority Android message with one collapse key and neither
 * notification nor data: it carries nothing but the wake-up. Thread-safe.
 */
final class FcmProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(FcmProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLLAPSE_KEY = "switchboard";

    private static final int OK = 200;
    private static final int UNAUTHORIZED = 401;
    private static final int NOT_FOUND = 404;
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int SERVER_ERROR = 500;

    private final HttpClient http;
    private final URI sendUrl;
    private final FcmAccessTokens tokens;
    private final Duration timeout;

    FcmProvider(PushContext.Fcm fcm, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.sendUrl = URI.create(fcm.endpoint() + "/v1/projects/" + fcm.projectId() + "/messages:send");
        this.tokens = new FcmAccessTokens(
                http, URI.create(fcm.tokenUrl()), fcm.credentials(), SystemEpochClock.INSTANCE, timeout);
    }

    @Override
    public CompletableFuture<PushOutcome> send(long user, int device, String token) {
        byte[] body = body(token);
        return tokens.token()
                .thenCompose(access -> http.sendAsync(
                                HttpRequest.newBuilder(sendUrl)
                                        .timeout(timeout)
                                        .header("Authorization", "Bearer " + access)
                                        .header("Content-Type", "application/json; charset=UTF-8")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                        .thenApply(response -> outcome(response, access)));
    }

    private static byte[] body(String token) {
        try {
            return JSON.writeValueAsBytes(Map.of(
                    "message",
                    Map.of("token", token, "android", Map.of("priority", "high", "collapse_key", COLLAPSE_KEY))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PushOutcome outcome(HttpResponse<String> response, String access) {
        int status = response.statusCode();
        if (status == OK) {
            return PushOutcome.SENT;
        }
        if (status == NOT_FOUND && response.body().contains("UNREGISTERED")) {
            return PushOutcome.UNREGISTERED;
        }
        if (status == UNAUTHORIZED) {
            // The access token was revoked or expired early: the retry exchanges for a new one.
            tokens.invalidate(access);
            return PushOutcome.RETRY;
        }
        if (status == TOO_MANY_REQUESTS || status >= SERVER_ERROR) {
            return PushOutcome.RETRY;
        }
        LOG.warn("FCM refused a push: {} {}", status, response.body());
        return PushOutcome.REJECTED;
    }

    @Override
    public void close() {
        // The JDK's client has no close before JDK 21; its threads are daemons and end with their idle connections.
    }
}
