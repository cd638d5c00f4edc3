package io.switchboard.core.message;

import org.agrona.ExpandableArrayBuffer;

/**
 * Where the bodies of stored group messages are read back from when they are not kept on the heap: the journal of
 * the group's owner. Thread-safe: the owners of the members read it, each from its own thread.
 */
public interface StoredBodies {
    /**
     * Reads the body of the group message stored at {@code index} into {@code into}, from its start; returns its
     * length, or -1 when it cannot be read (logged).
     */
    int read(long index, ExpandableArrayBuffer into);
}
