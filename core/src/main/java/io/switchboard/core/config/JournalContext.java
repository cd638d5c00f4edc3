package io.switchboard.core.config;

import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * What survives a restart. {@code journal.type: chronicle} keeps a Chronicle Queue journal per owner of user state
 * under {@code <data>/journal}; {@code memory} keeps nothing (the measuring baseline). {@code journal.durability}
 * chooses the loss window: {@code all} journals every message before its ack; {@code offline} journals only messages
 * that wait for an offline device, so a message delivered to an online device and not yet acknowledged is lost if the
 * server dies. {@code journal.blockBytes} is how much of a journal file Chronicle maps (and extends the file by) at a
 * time. {@code journal.pretouch} reads the pages ahead of each journal's writer on a thread of its own, so that the
 * writer (on the ack path) does not take the page faults of fresh file pages; {@code journal.pretouchAheadBytes} is how
 * far ahead.
 */
public final class JournalContext {
    public static final String TYPE_PROP = "journal.type";
    public static final Type TYPE_DEFAULT = Type.CHRONICLE;
    public static final String DURABILITY_PROP = "journal.durability";
    public static final Durability DURABILITY_DEFAULT = Durability.ALL;
    public static final String ROLL_CYCLE_PROP = "journal.rollCycle";
    public static final Cycle ROLL_CYCLE_DEFAULT = Cycle.HOURLY;
    public static final String RETENTION_DAYS_PROP = "journal.retentionDays";
    /** WhatsApp keeps an undelivered message for 30 days. */
    public static final int RETENTION_DAYS_DEFAULT = 30;

    public static final String RESERVE_BYTES_PROP = "journal.reserveBytes";
    public static final String BLOCK_BYTES_PROP = "journal.blockBytes";
    /** Chronicle Queue's own default on a 64-bit JVM. */
    public static final long BLOCK_BYTES_DEFAULT = 64L * 1024 * 1024;
    /** Chronicle maps at least this much at a time whatever it is asked for. */
    public static final long BLOCK_BYTES_MIN = 128 * 1024;

    public static final long BLOCK_BYTES_MAX = 1L << 30;

    public static final String PRETOUCH_PROP = "journal.pretouch";
    public static final boolean PRETOUCH_DEFAULT = true;
    public static final String PRETOUCH_AHEAD_BYTES_PROP = "journal.pretouchAheadBytes";
    /**
     * Four times the 8 MiB that one fault on a fresh page brings in on this machine class (the disk's read-ahead), and
     * far more than a writer appends between two passes of the pretoucher.
     */
    public static final long PRETOUCH_AHEAD_BYTES_DEFAULT = 32L * 1024 * 1024;

    public static final long PRETOUCH_AHEAD_BYTES_MIN = 1024L * 1024;
    /** More than a send's record adds to its frame's bodies: the fixed fields, a media id and 64 envelope headers. */
    private static final int RECORD_OVERHEAD_BYTES = 4 * 1024;

    private final Type type;
    private final Durability durability;
    private final Cycle rollCycle;
    private final int retentionDays;
    private final long blockBytes;
    private final long reserveBytes;
    private final boolean pretouch;
    private final long pretouchAheadBytes;

    /** Where the journal lives. */
    public enum Type implements Settings.Named {
        CHRONICLE("chronicle"),
        MEMORY("memory");

        private final String configName;

        Type(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** Which messages are journaled before their ack. */
    public enum Durability implements Settings.Named {
        ALL("all"),
        OFFLINE("offline");

        private final String configName;

        Durability(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** How often the journal starts a new file. */
    public enum Cycle implements Settings.Named {
        FIVE_MINUTELY("five-minutely", RollCycles.FIVE_MINUTELY),
        HOURLY("hourly", RollCycles.FAST_HOURLY),
        DAILY("daily", RollCycles.FAST_DAILY);

        private final String configName;
        private final RollCycle rollCycle;

        Cycle(String configName, RollCycle rollCycle) {
            this.configName = configName;
            this.rollCycle = rollCycle;
        }

        @Override
        public String configName() {
            return configName;
        }

        public RollCycle rollCycle() {
            return rollCycle;
        }
    }

    private JournalContext(Settings settings, int maxFrameBytes) {
        type = settings.choice(TYPE_PROP, TYPE_DEFAULT);
        durability = settings.choice(DURABILITY_PROP, DURABILITY_DEFAULT);
        rollCycle = settings.choice(ROLL_CYCLE_PROP, ROLL_CYCLE_DEFAULT);
        retentionDays = settings.integer(RETENTION_DAYS_PROP, RETENTION_DAYS_DEFAULT, 1, 3650);
        blockBytes = settings.longValue(BLOCK_BYTES_PROP, BLOCK_BYTES_DEFAULT, BLOCK_BYTES_MIN, BLOCK_BYTES_MAX);
        // Four blocks: room for every shard to map its next block, and for what is written between two polls.
        reserveBytes = settings.longValue(RESERVE_BYTES_PROP, 4 * blockBytes, 0, 1L << 40);
        pretouch = settings.bool(PRETOUCH_PROP, PRETOUCH_DEFAULT);
        pretouchAheadBytes = settings.longValue(
                PRETOUCH_AHEAD_BYTES_PROP, PRETOUCH_AHEAD_BYTES_DEFAULT, PRETOUCH_AHEAD_BYTES_MIN, BLOCK_BYTES_MAX);
        // Chronicle takes a record of at most a quarter of a block; a larger one could never be written, and its send
        // would be refused with 'unavailable' every time.
        long smallest = 4L * (maxFrameBytes + RECORD_OVERHEAD_BYTES);
        if (type == Type.CHRONICLE && blockBytes < smallest) {
            throw settings.invalid(
                    BLOCK_BYTES_PROP,
                    "expected at least 4 x (" + TransportContext.MAX_FRAME_BYTES_PROP + " + 4k) = " + smallest
                            + " so that the largest send fits one journal record");
        }
    }

    /** {@code maxFrameBytes} bounds the largest record: a send's bodies never outgrow its frame. */
    public static JournalContext from(Settings settings, int maxFrameBytes) {
        return new JournalContext(settings, maxFrameBytes);
    }

    public Type type() {
        return type;
    }

    public Durability durability() {
        return durability;
    }

    public Cycle rollCycle() {
        return rollCycle;
    }

    /** How long an unacknowledged message is kept before it is dropped as expired. */
    public long retentionMs() {
        return TimeUnit.DAYS.toMillis(retentionDays);
    }

    /** Free space below which new messages are refused (0: never). */
    public long reserveBytes() {
        return reserveBytes;
    }

    /** How much of a journal file is mapped, and the file extended by, at a time. */
    public long blockBytes() {
        return blockBytes;
    }

    /** Whether a thread reads the pages ahead of each journal's writer (see {@code JournalPretoucher}). */
    public boolean pretouch() {
        return pretouch;
    }

    /** How far ahead of each journal's writer the pretoucher reads. */
    public long pretouchAheadBytes() {
        return pretouchAheadBytes;
    }

    @Override
    public String toString() {
        return "journal=" + type.configName()
                + (type == Type.MEMORY
                        ? ""
                        : " durability=" + durability.configName() + " rollCycle=" + rollCycle.configName()
                                + " retentionDays=" + retentionDays + " blockBytes=" + blockBytes + " reserveBytes="
                                + reserveBytes + " pretouch="
                                + (pretouch ? pretouchAheadBytes : "off"));
    }
}
