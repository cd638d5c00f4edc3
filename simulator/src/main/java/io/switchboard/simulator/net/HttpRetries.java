package io.switchboard.simulator.net;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A virtual client's HTTP calls as a well-behaved client makes them: an answer that says "not now" (429 rate-limited,
 * 503 unavailable) is sent again after the {@code Retry-After} it names (1 s without one), up to a number of tries;
 * the last answer, whatever it is, goes to the caller. The server refuses for now under load (media transfers all
 * busy, a fetch rate reached); a client that gave up at once would count a refusal as a failure.
 */
public final class HttpRetries {
    private HttpRetries() {}

    /** Sends {@code request} (its body must be one that can be sent again), at most {@code tries} times. */
    public static <T> CompletableFuture<HttpResponse<T>> send(
            HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler, int tries) {
        return http.sendAsync(request, handler).thenCompose(response -> {
            int status = response.statusCode();
            if ((status == 429 || status == 503) && tries > 1) {
                long waitMs = response.headers().firstValueAsLong("Retry-After").orElse(1) * 1000;
                return CompletableFuture.runAsync(
                                () -> {}, CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS))
                        .thenCompose(ignored -> send(http, request, handler, tries - 1));
            }
            return CompletableFuture.completedFuture(response);
        });
    }
}
