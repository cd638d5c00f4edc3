package io.switchboard.core.config;

/**
 * Which one-to-one bodies are copied to the heap (within {@code router.maxHeapBodyBytes}) rather than read back from
 * the journal when delivered.
 */
public enum HeapBodies implements Settings.Named {
    /**
     * Only a body that waits: for a device offline at the send, or not journaled. A journaled message whose devices are
     * all online is written to them at once, and its body read back from the page the journal just wrote; a heap copy
     * would be garbage within milliseconds.
     */
    WAITING("waiting"),
    /** Every body, while the budget lasts: the heap copy spares a read from the journal on every delivery. */
    ALL("all");

    private final String configName;

    HeapBodies(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
