package io.switchboard.core.keys;

/**
 * One device's part of a fetched bundle: its signed pre-key, a one-time EC pre-key (null when it had none left), and a
 * one-time Kyber pre-key or, when it had none left, its last-resort Kyber pre-key; and what the device has left after
 * this hand-out, which decides whether it is sent {@code keys.low}.
 */
public record DeviceBundle(
        int device, int registrationId, PreKey signedPreKey, PreKey preKey, PreKey kyberPreKey, KeyCounts left) {}
