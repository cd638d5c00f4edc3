package io.switchboard.core.config;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/** What a shard thread does when it found no work. Backoff is the default: this machine may have 2 cores. */
public enum IdleStrategyName implements Settings.Named {
    BACKOFF("backoff"),
    YIELD("yield"),
    BUSY_SPIN("busy-spin"),
    SLEEP("sleep");

    private final String configName;

    IdleStrategyName(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** A new strategy instance: idle strategies hold per-thread state and must not be shared. */
    public IdleStrategy newStrategy() {
        return switch (this) {
            case BACKOFF ->
                new BackoffIdleStrategy(64, 64, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
            case YIELD -> new YieldingIdleStrategy();
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case SLEEP -> new SleepingMillisIdleStrategy(1);
        };
    }
}
