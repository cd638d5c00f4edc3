package io.switchboard.core.transport;

/** Finds the live connection with a reference, or null when it has closed. */
@FunctionalInterface
interface ConnectionLookup {
    SessionHandler find(long connection);
}
