package io.switchboard.core.router;

/**
 * A connection's reference as it crosses threads: a positive serial in the high bits and the index of the I/O loop
 * that owns the channel in the low {@value #LOOP_BITS} bits, so a shard finds the right outbox without any lookup.
 * 0 is never a connection.
 */
public final class ConnectionRef {
    public static final int LOOP_BITS = 8;
    public static final int MAX_LOOPS = 1 << LOOP_BITS;

    private ConnectionRef() {}

    public static long of(long serial, int loopIndex) {
        return (serial << LOOP_BITS) | loopIndex;
    }

    public static int loopIndex(long connection) {
        return (int) (connection & (MAX_LOOPS - 1));
    }
}
