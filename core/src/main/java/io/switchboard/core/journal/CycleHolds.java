package io.switchboard.core.journal;

import java.io.File;
import java.util.NavigableSet;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which roll cycles of a journal are still needed: each queued message holds its cycle once per recipient device, and
 * each pending receipt once. When the oldest cycles hold nothing and are older than the cycle being written, their
 * files are deleted, oldest first: a cycle is never deleted while an older one is kept, so the acknowledgements
 * written in it never outlive the messages they name. Owned by the journal's thread.
 */
final class CycleHolds {
    private static final Logger LOG = LoggerFactory.getLogger(CycleHolds.class);

    private final Int2IntHashMap holds = new Int2IntHashMap(0);
    private final Int2ObjectHashMap<File> files = new Int2ObjectHashMap<>();
    private final CycleFiles cycles;
    private long deletedFiles;
    private boolean deferDeletes;

    /** What the holds need of the queue: its cycles on disk, the cycle being written, and a listing refresh. */
    interface CycleFiles {
        NavigableSet<Long> cyclesBefore(int cycle);

        int writingCycle();

        void refresh();
    }

    CycleHolds(CycleFiles cycles) {
        this.cycles = cycles;
    }

    /** The queue opened the file of {@code cycle} (from its store-file listener). */
    void fileOf(int cycle, File file) {
        files.put(cycle, file);
    }

    /** While true, releases only count; {@link #deleteUnheld()} catches up afterwards. */
    void deferDeletes(boolean defer) {
        deferDeletes = defer;
    }

    void hold(int cycle, int count) {
        holds.put(cycle, holds.get(cycle) + count);
    }

    void release(int cycle) {
        int left = holds.get(cycle) - 1;
        if (left > 0) {
            holds.put(cycle, left);
        } else {
            holds.remove(cycle);
            deleteUnheld();
        }
    }

    /** Deletes the oldest cycles that hold nothing, up to the first held one or the one being written. */
    void deleteUnheld() {
        if (deferDeletes) {
            return;
        }
        int writing = cycles.writingCycle();
        boolean deleted = false;
        for (long candidate : cycles.cyclesBefore(writing)) {
            int cycle = (int) candidate;
            if (holds.get(cycle) > 0) {
                break;
            }
            File file = files.remove(cycle);
            if (file == null || !file.delete()) {
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
