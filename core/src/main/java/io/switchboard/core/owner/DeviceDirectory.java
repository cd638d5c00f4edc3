package io.switchboard.core.owner;

/** Which devices a user has registered: bit d for device d, 0 for an unknown user. Thread-safe. */
@FunctionalInterface
public interface DeviceDirectory {
    long deviceMask(long user);
}
