package io.switchboard.simulator.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * A worker process of {@code run --workers N}, as it sees itself: its {@link UserShare}, the loopback address its
 * clients connect from, and the start its parent ({@link Workers}) gives every worker at once, once all have
 * registered their users and connected their devices, so that their workloads and faults (a storm) line up.
 *
 * @param source the address the worker's clients connect from, or null for the kernel's pick
 */
record Worker(UserShare share, InetAddress source) {
    /** The line a worker prints when it is ready; the parent then writes {@link #START} to every worker's stdin. */
    static final String READY = "switchboard worker ready";

    static final String START = "start";

    /** Says it is ready, then waits for the parent's start on stdin. */
    void awaitStart(PrintStream out) throws IOException {
        out.println(READY);
        out.flush();
        // Not closed: closing it would close System.in, which nothing else reads.
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (!START.equals(line)) {
            throw new IllegalStateException("worker " + (share.worker() + 1)
                    + ": the parent run did not say start (got " + line + "): it ended or failed");
        }
    }
}
