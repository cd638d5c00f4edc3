package io.switchboard.core.owner;

/**
 * Which devices a user has registered, and who may add the user to a group. Thread-safe: every owner reads it on its
 * own thread.
 */
@FunctionalInterface
public interface DeviceDirectory {
    /** Bit d for device d, 0 for an unknown user. */
    long deviceMask(long user);

    /**
     * Whether {@code adder} may add {@code user} to a group rather than invite them. A directory that keeps no privacy
     * settings gives everyone the protocol's default, {@code everyone}.
     */
    default boolean acceptsGroupAdd(long user, long adder) {
        return true;
    }
}
