package io.switchboard.core.keys;

/** How many one-time pre-keys of each kind a device has stored: {@code GET /v1/keys/count}. */
public record KeyCounts(int preKeys, int kyberPreKeys) {}
