package io.switchboard.core.config;

import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * What survives a restart. {@code journal.type: chronicle} keeps a Chronicle Queue journal per owner of user state
 * under {@code <data>/journal}; {@code memory} keeps nothing (the measuring baseline). {@code journal.durability}
 * chooses the loss window: {@code all} journals every message before its ack; {@code offline} journals only messages
 * that wait for an offline device, so a message delivered to an online device and not yet acknowledged is lost if the
 * server dies.
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

    private final Type type;
    private final Durability durability;
    private final Cycle rollCycle;
    private final int retentionDays;

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

    private JournalContext(Settings settings) {
        type = settings.choice(TYPE_PROP, TYPE_DEFAULT);
        durability = settings.choice(DURABILITY_PROP, DURABILITY_DEFAULT);
        rollCycle = settings.choice(ROLL_CYCLE_PROP, ROLL_CYCLE_DEFAULT);
        retentionDays = settings.integer(RETENTION_DAYS_PROP, RETENTION_DAYS_DEFAULT, 1, 3650);
    }

    public static JournalContext from(Settings settings) {
        return new JournalContext(settings);
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

    @Override
    public String toString() {
        return "journal=" + type.configName()
                + (type == Type.MEMORY
                        ? ""
                        : " durability=" + durability.configName() + " rollCycle=" + rollCycle.configName()
                                + " retentionDays=" + retentionDays);
    }
}
