package io.switchboard.core.journal;

/**
 * Where a fault of an access to a memory-mapped file is raised. An access to a page the filesystem cannot back (a
 * write, or on tmpfs even a read, when the disk is full; any access past the end of a file cut short) faults with
 * SIGBUS, which HotSpot reports as an {@link InternalError} ("a fault occurred in ... unsafe memory access"); in
 * compiled code not at the access but at the thread's next call into the VM, which may be anywhere after it, outside
 * every handler meant for it. {@link #surface()} makes that call, so that a caller can catch the error where it made
 * the access.
 */
final class MappedFaults {
    private static final Object PROBE = new Object();
    private static final boolean NATIVE_CALLS_SURFACE_FAULTS = Runtime.version().feature() >= 25;
    /** Zero, and not final, so that the compiler makes {@link #surface()}'s array in the runtime. */
    private static int noLength;
    /** Where that array goes, so that it is made at all. */
    private static byte[][] probed;

    private MappedFaults() {}

    /**
     * Raises here, on this thread, the {@link InternalError} a faulted access left pending. JDK 25 raises it on the
     * way back from any native method (this one makes no system call); JDK 17 not there, but on the way back from the
     * VM's runtime, which an array of arrays of lengths the compiler cannot know always calls (tried on both: with a
     * plain native call, JDK 17 raised it later). That costs JDK 17 an empty array per call.
     */
    static void surface() {
        if (NATIVE_CALLS_SURFACE_FAULTS) {
            Thread.holdsLock(PROBE);
        } else {
            probed = new byte[noLength][noLength];
        }
    }
}
