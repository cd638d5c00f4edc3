package io.switchboard.core.journal;

import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.DataDirectories;
import io.switchboard.core.config.JournalContext;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.TimeProvider;

/**
 * Opens the journals of one server: {@code <data>/journal/<layout>/<owner>}, where the layout names the routing and
 * the number of owners (e.g. {@code sharded-2}), since a user's records must be replayed by the owner its id hashes
 * to. A data directory written with another layout is refused at start rather than half-recovered. With {@code
 * journal.pretouch}, one {@link JournalPretoucher} reads ahead of every journal's writer, and stops before they close.
 */
public final class Journals implements AutoCloseable {
    private final JournalContext context;
    private final Path root;
    private final List<Journal> opened = new ArrayList<>();
    private DiskSpaceGuard guard;
    private JournalPretoucher pretoucher;

    public Journals(JournalContext context, Path dataDir, String layout) {
        this.context = context;
        this.root = dataDir.resolve("journal").resolve(layout);
        if (context.type() == JournalContext.Type.CHRONICLE) {
            refuseOtherLayouts(dataDir.resolve("journal"), layout);
        }
    }

    private static void refuseOtherLayouts(Path journals, String layout) {
        if (!Files.isDirectory(journals)) {
            return;
        }
        try (Stream<Path> layouts = Files.list(journals)) {
            for (Path other : layouts.toList()) {
                if (!other.getFileName().toString().equals(layout) && containsFiles(other)) {
                    throw new ConfigException("the data directory holds a journal written as '"
                            + other.getFileName() + "', but this server is '" + layout
                            + "': start with the same router.routing and router.shards, or use another --data");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(Path directory) {
        try {
            return DataDirectories.ownerOnly(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal directory " + directory, e);
        }
    }

    private static boolean containsFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.anyMatch(Files::isRegularFile);
        }
    }

    /**
     * The journal of one owner (a shard, or all of locked routing's stripes), which counts the records it could not
     * write in {@code counters} and tells by {@code time} which cycle's file a record goes to: a shard's clock, read
     * once a duty cycle, spares each record a read of the system's (2% of a shard's time at 500,000 msgs/s on direct).
     */
    public synchronized Journal open(String owner, CounterSet<ShardCounter> counters, TimeProvider time) {
        if (context.type() == JournalContext.Type.MEMORY) {
            return NoJournal.INSTANCE;
        }
        if (guard == null) {
            guard = DiskSpaceGuard.watching(existing(root), context.reserveBytes());
        }
        ChronicleJournal journal = ChronicleJournal.open(
                root.resolve(owner),
                context.rollCycle().rollCycle(),
                time,
                context.blockBytes(),
                context.retentionMs());
        journal.refuseWhen(guard::low);
        journal.countIn(counters);
        if (context.pretouch()) {
            if (pretoucher == null) {
                pretoucher = JournalPretoucher.start(context.pretouchAheadBytes());
            }
            pretoucher.watch(journal);
        }
        opened.add(journal);
        return journal;
    }

    /**
     * The directory of one owner's journal, created owner-only, for an owner that appends to a queue of its own rather
     * than through {@link #open} (the ceiling router's bare appends); null with {@code journal.type: memory}.
     */
    public Path directory(String owner) {
        return context.type() == JournalContext.Type.MEMORY ? null : existing(root.resolve(owner));
    }

    public JournalContext context() {
        return context;
    }

    @Override
    public synchronized void close() {
        if (pretoucher != null) {
            pretoucher.close();
            pretoucher = null;
        }
        if (guard != null) {
            guard.close();
            guard = null;
        }
        for (Journal journal : opened) {
            journal.close();
        }
        opened.clear();
    }
}
