package io.switchboard.core.push;

/** Where devices' push registrations are kept (the account store). Thread-safe. */
public interface PushTargets {
    /** Whether the device has a registration; allocation-free, for the owners' threads. */
    boolean registered(long user, int device);

    /** The device's registration while it has no session; null when it has none or is connected now. */
    PushRegistration target(long user, int device);

    /** The platform said {@code token} is no longer valid: the registration goes, if it still holds that token. */
    void invalid(long user, int device, String token);
}
