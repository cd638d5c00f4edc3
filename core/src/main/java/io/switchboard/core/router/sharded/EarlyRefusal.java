package io.switchboard.core.router.sharded;

import java.util.SplittableRandom;

/**
 * Whether a new send is refused for an outbox's occupancy: never at or below the high-water mark, always at twice it
 * (or the mark's own upper bound, a few records below the ring's capacity, if that is lower), and in between at random
 * with a probability rising linearly from 0 to 1 (random early detection, as routers drop packets before their queue is
 * full).
 *
 * <p>Why not refuse every send above the mark: on the direct transport every device writes through one loop, so the
 * mark turned all sends away at once, their devices all waited the same {@code retryAfterMs}, and came back together.
 * The server went idle between those waves: at 1,000,000 msgs/s offered it kept 1.66-1.75 of 2 cores busy and
 * delivered 291,000-319,000 msgs/s, where it delivers 430,000-450,000 at 500,000 offered in the same hour
 * (results/reference/20261207-early-refusal). Refusing a share that grows with the backlog spreads the refused devices'
 * returns, and the backlog settles in the band.
 *
 * <p>Owned by one shard thread; its draws allocate nothing.
 */
final class EarlyRefusal {
    private final int markBytes;
    private final int allBytes;
    private final SplittableRandom random;

    /**
     * @param markBytes occupancy above which sends start being refused
     * @param allBytes occupancy at and above which every send is refused; at most the mark means a hard mark
     * @param seed the draws' seed
     */
    EarlyRefusal(int markBytes, int allBytes, long seed) {
        this.markBytes = markBytes;
        this.allBytes = Math.max(markBytes, allBytes);
        this.random = new SplittableRandom(seed);
    }

    /** The band for an outbox of {@code capacityBytes} with mark {@code markBytes}: up to twice it, inside the ring. */
    static EarlyRefusal forOutbox(int markBytes, int capacityBytes, long seed) {
        return new EarlyRefusal(markBytes, (int) Math.min(2L * markBytes, capacityBytes - capacityBytes / 8), seed);
    }

    /** Whether a send that would write to an outbox holding {@code occupancyBytes} is refused. */
    boolean refuse(int occupancyBytes) {
        if (occupancyBytes <= markBytes) {
            return false;
        }
        if (occupancyBytes >= allBytes) {
            return true;
        }
        return random.nextInt(allBytes - markBytes) < occupancyBytes - markBytes;
    }
}
