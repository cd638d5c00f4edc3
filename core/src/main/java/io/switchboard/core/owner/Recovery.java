package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the journal replay at start and says, in one log line, what came back and how long it took. */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {}

    /** @param counters the counters of the tables the replay fills */
    public static void run(String owner, Runnable replay, List<CounterSet<ShardCounter>> counters) {
        long startNs = System.nanoTime();
        replay.run();
        long millis = (System.nanoTime() - startNs) / 1_000_000;
        LOG.info(
                "recovered {}: {} queued messages, {} pending receipts, {} groups in {} ms",
                owner,
                sum(counters, ShardCounter.MESSAGES_QUEUED),
                sum(counters, ShardCounter.RECEIPTS_PENDING),
                sum(counters, ShardCounter.GROUPS),
                millis);
    }

    private static long sum(List<CounterSet<ShardCounter>> counters, ShardCounter counter) {
        return counters.stream().mapToLong(set -> set.get(counter)).sum();
    }
}
