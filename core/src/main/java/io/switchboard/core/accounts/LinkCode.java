package io.switchboard.core.accounts;

/** A single-use code with which a new device joins the account of the primary that asked for it. */
public record LinkCode(String code, long expiresInMs) {}
