package io.switchboard.core.router;

import java.util.function.IntConsumer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an owner's thread does with what it could not handle. An exception failed one command (its handler answered
 * and counted it) or was a stop ({@link AgentTerminationException}): logged. An {@link Error} (out of memory, a stack
 * overflow) leaves the owner's state unknown and its thread ended, and a server that lived on would hold connections
 * that it never serves again: the process exits with {@link #EXIT_STATUS} so that a supervisor restarts it, and
 * recovery replays the journal.
 */
public final class FatalErrors {
    /** EX_SOFTWARE of sysexits.h: an internal software error. */
    public static final int EXIT_STATUS = 70;

    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);

    private FatalErrors() {}

    /** The handler for {@code role}'s thread, exiting the process on an {@link Error}. */
    public static ErrorHandler handler(String role) {
        return handler(role, FatalErrors::exitFromAnotherThread);
    }

    /** As {@link #handler(String)}, with {@code exit} called with the status instead of exiting. */
    public static ErrorHandler handler(String role, IntConsumer exit) {
        return error -> {
            if (error instanceof Error) {
                LOG.error(
                        "{} failed with {}: its state is lost, so the server stops now (exit status {}); restart it"
                                + " and it recovers what was acknowledged from the journal",
                        role,
                        error.toString(),
                        EXIT_STATUS,
                        error);
                exit.accept(EXIT_STATUS);
            } else {
                LOG.error("{} failed", role, error);
            }
        };
    }

    /**
     * Exits on a thread of its own: the shutdown hooks close the server, which joins the failing thread, so that thread
     * must not be the one that waits for them.
     */
    private static void exitFromAnotherThread(int status) {
        Thread exit = new Thread(() -> System.exit(status), "switchboard-fatal-exit");
        exit.setDaemon(false);
        exit.start();
    }
}
