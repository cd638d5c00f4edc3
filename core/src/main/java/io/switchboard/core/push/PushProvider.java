package io.switchboard.core.push;

import java.util.concurrent.CompletableFuture;

/**
 * One push platform. A push carries no message content: it only tells the app that something waits, and the app
 * connects and fetches it over its own encrypted session. Thread-safe; {@link #send} never blocks.
 */
public interface PushProvider extends AutoCloseable {
    /**
     * Sends a content-free push to the device holding {@code token}. The future completes with the platform's answer,
     * on any thread; it may never complete when the platform hangs (the dispatcher times it out), and completes
     * exceptionally only when the platform could not be reached, which counts as {@link PushOutcome#RETRY}.
     */
    CompletableFuture<PushOutcome> send(long user, int device, String token);

    @Override
    void close();
}
