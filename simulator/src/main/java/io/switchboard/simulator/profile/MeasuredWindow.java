package io.switchboard.simulator.profile;

/**
 * Tells a {@link Listener} when a run's measured window opens (the warm-up is over) and when it closes (the last
 * message of the window is due; the drain follows), by the run's own clock: the run {@link #set sets} the window when
 * it starts and calls {@link #at} on every tick. Single-threaded: the run's event loop.
 */
public final class MeasuredWindow {
    /** What happens when the window opens and closes; called on the run's event loop, so it must not block. */
    public interface Listener {
        /** Nothing: the run without {@code --profile}. */
        Listener NONE = new Listener() {
            @Override
            public void opened() {}

            @Override
            public void closed() {}
        };

        void opened();

        void closed();
    }

    private static final byte PENDING = 0;
    private static final byte OPEN = 1;
    private static final byte CLOSED = 2;

    private final Listener listener;
    private long opensNs;
    private long closesNs;
    private byte state = CLOSED;

    public MeasuredWindow(Listener listener) {
        this.listener = listener;
    }

    /** The window, on the {@link System#nanoTime()} clock; it opens and closes on the first ticks at or past each. */
    public void set(long opensNs, long closesNs) {
        this.opensNs = opensNs;
        this.closesNs = closesNs;
        state = PENDING;
    }

    /** A tick at {@code nowNs}: opens and closes the window when they are due (both on one tick past both). */
    public void at(long nowNs) {
        if (state == PENDING && nowNs - opensNs >= 0) {
            state = OPEN;
            listener.opened();
        }
        if (state == OPEN && nowNs - closesNs >= 0) {
            state = CLOSED;
            listener.closed();
        }
    }
}
