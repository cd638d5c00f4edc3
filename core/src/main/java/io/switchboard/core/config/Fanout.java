package io.switchboard.core.config;

/** How a group message reaches the members' queues: the fan-out variant under comparison. */
public enum Fanout implements Settings.Named {
    /** One stored copy of the body, shared by every member device's queue entry; a compact delivery list. */
    SINGLE_COPY("single-copy"),
    /** The textbook alternative: a copy of the body per member device. */
    PER_MEMBER("per-member");

    private final String configName;

    Fanout(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
