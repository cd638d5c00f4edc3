package io.switchboard.core.push;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code sim} platform: pushes to the simulator's virtual phones, in process. Each push goes to the listener set
 * with {@link #listener}, which wakes its virtual device (after whatever delay it models); with none set, pushes are
 * only counted. Thread-safe.
 */
public final class SimPushProvider implements PushProvider {
    private static final CompletableFuture<PushOutcome> SENT = CompletableFuture.completedFuture(PushOutcome.SENT);

    /** Told of every push, on the push dispatcher's thread: it must return quickly and never block. */
    @FunctionalInterface
    public interface Listener {
        void pushed(long user, int device, String token);
    }

    private final AtomicLong pushes = new AtomicLong();
    private volatile Listener listener;

    /** Sets (null: removes) the listener of every later push. */
    public void listener(Listener listener) {
        this.listener = listener;
    }

    /** Pushes taken since the start. */
    public long pushes() {
        return pushes.get();
    }

    @Override
    public CompletableFuture<PushOutcome> send(long user, int device, String token) {
        pushes.incrementAndGet();
        Listener current = listener;
        if (current != null) {
            current.pushed(user, device, token);
        }
        return SENT;
    }

    @Override
    public void close() {
        listener = null;
    }
}
