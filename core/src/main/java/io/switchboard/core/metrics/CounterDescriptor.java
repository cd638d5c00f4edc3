package io.switchboard.core.metrics;

/** Implemented by the enums of counters: what the exporter needs to know of each constant. */
public interface CounterDescriptor {
    CounterSpec spec();

    int ordinal();
}
