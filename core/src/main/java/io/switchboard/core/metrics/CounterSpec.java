package io.switchboard.core.metrics;

/**
 * One counter's identity: a stable type id (also its Agrona counter type id), a dotted metric name below
 * {@code switchboard.}, whether it is a total or a level, and what it counts.
 */
public record CounterSpec(int typeId, String metricName, CounterKind kind, String description) {}
