package io.switchboard.core.keys;

import java.util.List;

/**
 * What {@code GET /v1/keys/{user}[/{device}]} answers: the account's identity key and a bundle per device, in device
 * order; {@code handedOut} counts the one-time keys in it, each written to the key log as taken before it is answered.
 */
public record KeyBundle(byte[] identityKey, List<DeviceBundle> devices, int handedOut) {}
