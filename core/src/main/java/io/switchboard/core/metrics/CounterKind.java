package io.switchboard.core.metrics;

/** How a counter is exported: a monotonic total, or a level that goes up and down. */
public enum CounterKind {
    TOTAL,
    LEVEL
}
