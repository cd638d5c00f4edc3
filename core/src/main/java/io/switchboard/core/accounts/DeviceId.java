package io.switchboard.core.accounts;

/** A device of a user, as a token authenticated it ({@link AccountStore#authenticate}). */
public record DeviceId(long user, int device) {}
