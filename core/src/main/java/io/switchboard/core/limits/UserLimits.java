package io.switchboard.core.limits;

import io.switchboard.core.config.RateLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The rate budget that all connections of one user share, one bucket per {@link LimitKind} a connection has: without
 * it a user with 8 devices gets 8 times every per-connection rate. The buckets are {@link TokenBucket}s' arithmetic
 * over a compare-and-set, since the user's connections may sit on different I/O loops; contention is among one user's
 * own devices only.
 */
public final class UserLimits {
    private static final VarHandle FULL_AT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Per {@link LimitKind#ordinal()} of the kinds a connection limits: when that bucket would be full again. */
    private final long[] fullAtNs = new long[LimitKind.SUBSCRIBE.ordinal() + 1];

    /** Full buckets at {@code nowNs}. */
    public UserLimits(long nowNs) {
        for (int i = 0; i < fullAtNs.length; i++) {
            fullAtNs[i] = nowNs;
        }
    }

    /** As {@link TokenBucket#take}, on the user's bucket for {@code kind}. */
    long take(LimitKind kind, RateLimit limit, long weight, long nowNs) {
        if (limit.off()) {
            return 0;
        }
        int index = kind.ordinal();
        while (true) {
            long fullAt = (long) FULL_AT.getVolatile(fullAtNs, index);
            long wanted = TokenBucket.wantedFullAtNs(limit, weight, fullAt, nowNs);
            long waitNs = TokenBucket.waitNs(limit, wanted, nowNs);
            if (waitNs > 0) {
                return waitNs;
            }
            if (FULL_AT.compareAndSet(fullAtNs, index, fullAt, wanted)) {
                return 0;
            }
        }
    }
}
