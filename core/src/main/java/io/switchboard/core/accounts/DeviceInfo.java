package io.switchboard.core.accounts;

/**
 * One device of an account as {@code GET /v1/devices} lists it.
 *
 * @param createdMs when it joined its account, ms since the epoch; 0 when not known (registered before this was kept)
 * @param online whether it has a session now
 * @param lastSeenMs while it has a session, now; else when its last session closed, ms since the epoch; 0 when it has
 *     had no session since the server started
 */
public record DeviceInfo(int device, boolean primary, long createdMs, boolean online, long lastSeenMs) {}
