package io.switchboard.core.config;

/** How commands reach the state of a user: the architecture variant under comparison. */
public enum Routing implements Settings.Named {
    /** Single-owner shard threads fed by Agrona ring buffers; outboxes drained by the I/O loops. */
    SHARDED("sharded"),
    /** The textbook baseline: shared state behind striped locks, handled on the I/O thread, written straight to channels. */
    LOCKED("locked");

    private final String configName;

    Routing(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
