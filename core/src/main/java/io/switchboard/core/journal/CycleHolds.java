package io.switchboard.core.journal;

import java.io.File;
import java.util.NavigableSet;
import org.agrona.collections.Int2IntHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which roll cycles of a journal are still needed: each queued message holds its cycle once per recipient device, each
 * pending receipt once, and each message delivered and not yet read once. When the oldest cycles hold nothing and are
 * older than the cycle being written, their files are deleted, oldest first: a cycle is never deleted while an older
 * one is kept, so the acknowledgements written in it never outlive the messages they name. A cycle older than the
 * retention is deleted even while held: everything in it has expired (messages, receipts and unread state all expire
 * with the retention), so a hold its owner never released (a bug, or state dropped without its release) cannot stop
 * the deletion of every later file. Owned by the journal's thread.
 */
final class CycleHolds {
    private static final Logger LOG = LoggerFactory.getLogger(CycleHolds.class);

    private final Int2IntHashMap holds = new Int2IntHashMap(0);
    private final CycleFiles cycles;
    private long deletedFiles;
    private boolean deferDeletes;

    /** What the holds need of the queue: its cycles on disk, the cycle being written, and a listing refresh. */
    interface CycleFiles {
        NavigableSet<Long> cyclesBefore(int cycle);

        int writingCycle();

        void refresh();

        /** Whether every record of {@code cycle} is older than the retention. */
        boolean expired(int cycle);

        /**
         * The file of {@code cycle}, named as Chronicle names it. (Chronicle's store-file listener tells of a file on
         * a background thread, later, so a map filled from it raced with this thread and missed files.)
         */
        File fileOf(int cycle);
    }

    CycleHolds(CycleFiles cycles) {
        this.cycles = cycles;
    }

    /** While true, releases only count; {@link #deleteUnheld()} catches up afterwards. */
    void deferDeletes(boolean defer) {
        deferDeletes = defer;
    }

    void hold(int cycle, int count) {
        holds.put(cycle, holds.get(cycle) + count);
    }

    /** Ends one hold; a hold on a cycle deleted past the retention ends with nothing left to do. */
    void release(int cycle) {
        int left = holds.get(cycle) - 1;
        if (left > 0) {
            holds.put(cycle, left);
        } else {
            holds.remove(cycle);
            deleteUnheld();
        }
    }

    /**
     * Deletes the oldest cycles that hold nothing or are past the retention, up to the first held one within the
     * retention or the one being written.
     */
    void deleteUnheld() {
        if (deferDeletes) {
            return;
        }
        int writing = cycles.writingCycle();
        boolean deleted = false;
        for (long candidate : cycles.cyclesBefore(writing)) {
            int cycle = (int) candidate;
            int held = holds.get(cycle);
            if (held > 0) {
                if (!cycles.expired(cycle)) {
                    break;
                }
                LOG.warn(
                        "journal cycle {} is past the retention and deleted, though {} holds on it remain",
                        cycle,
                        held);
                holds.remove(cycle);
            }
            File file = cycles.fileOf(cycle);
            if (!file.delete()) {
                break;
            }
            deleted = true;
            deletedFiles++;
            LOG.debug("deleted journal cycle {} ({})", cycle, file);
        }
        if (deleted) {
            cycles.refresh();
        }
    }

    long deletedFiles() {
        return deletedFiles;
    }
}
