package io.switchboard.core.message;

/**
 * An invite to a group for {@code user}, whose privacy setting refused the add of admin {@code by}: good once, with
 * {@code code}, until {@code expiresAtMs}. Kept by the group's owner and journaled with the group's state, so that a
 * restart keeps it as valid (and a used or expired one as void) as it was.
 */
public record GroupInvite(long user, long by, String code, long expiresAtMs) {}
