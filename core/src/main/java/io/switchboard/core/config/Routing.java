package io.switchboard.core.config;

/** How commands reach the state of a user: the architecture variant under comparison. */
public enum Routing implements Settings.Named {
    /** Single-owner shard threads fed by Agrona ring buffers; outboxes drained by the I/O loops. */
    SHARDED("sharded"),
    /** The textbook baseline: shared state behind striped locks, handled on the I/O thread, written straight to channels. */
    LOCKED("locked"),
    /**
     * Not a server: the measuring stick of the simulator's direct transport. Shard threads fed by the same rings that
     * append each one-to-one send once to a bare Chronicle queue, ack it and hand it to the recipient's outbox, and
     * turn its {@code recv} into the sender's {@code delivered} receipt; no queues, unread lists, receipts state or
     * checks. Runs only with an embedded I/O loop ({@code CeilingRouter}).
     */
    CEILING("ceiling");

    private final String configName;

    Routing(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
