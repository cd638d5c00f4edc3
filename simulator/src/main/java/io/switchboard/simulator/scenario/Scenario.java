package io.switchboard.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.switchboard.core.protocol.WireCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated scenario: who the users are, what they send, for how long, against which server settings, which
 * variants to compare, and which service-level objectives the run must meet.
 *
 * @param file where it was loaded from
 * @param name the scenario's name (the file name without {@code .yaml} unless given)
 * @param question the question it answers: its opening comment
 * @param seed the workload's random seed: the same seed gives the same workload
 * @param users registered users
 * @param devicesPerUser registered devices of every user, each a connection of its own with its own churn
 * @param transport how virtual clients reach the server
 * @param encryption what the virtual clients put in envelopes: plaintext, or Signal sessions of their own
 * @param codec the encoding virtual clients speak, unless a variant names its own
 * @param sessions whether devices meet their contacts and groups for the first time in the run, or have met before
 * @param duration measured time, after the warm-up
 * @param warmup time before measuring; its messages are checked by the oracle but not timed
 * @param drain time allowed after sending stops for in-flight messages and receipts to arrive
 * @param messages the message workload, one-to-one and group
 * @param curve how the offered rate varies over the run: a ramp and a diurnal swing
 * @param groups the groups created before the workload starts
 * @param contacts whom one-to-one messages and presence subscriptions go to
 * @param presence the presence subscriptions each session makes
 * @param churn who is online when: the online share and session lengths
 * @param serverMode where the server runs: in the simulator's JVM, or as a process of its own
 * @param devices which devices are phones in the background, woken only by a push
 * @param server server settings for every variant (keys of docs/configuration.md)
 * @param variants variants to run one after another on the same seeded workload; empty means one run
 * @param slos objectives checked after the run; a failed one makes {@code run} exit non-zero
 * @param faults what breaks during the run, in time order; empty for none
 */
public record Scenario(
        Path file,
        String name,
        String question,
        long seed,
        int users,
        int devicesPerUser,
        Transport transport,
        Encryption encryption,
        Codec codec,
        Sessions sessions,
        Duration duration,
        Duration warmup,
        Duration drain,
        Messages messages,
        Curve curve,
        Groups groups,
        Contacts contacts,
        Presence presence,
        Churn churn,
        ServerMode serverMode,
        Devices devices,
        Map<String, String> server,
        List<Variant> variants,
        List<Slo> slos,
        List<Fault> faults) {

    /**
     * The message workload: open-loop Poisson arrivals at {@code ratePerSecond}, a {@code groupShare} of them to a
     * random group from a random member of it, the others over random sender/recipient pairs. A {@code readShare} of
     * delivered messages is read, each after an exponential delay with mean {@code readDelay} (zero: at once); a
     * {@code typingShare} of messages is preceded by a typing frame to the same conversation. Body sizes are
     * log-uniform from {@code bodyBytes} to {@code maxBodyBytes} (each doubling as likely), drawn per message from the
     * seed; equal bounds give every message that size. A {@code mediaShare} of one-to-one messages carries a blob,
     * encrypted by its sender and uploaded before the message is sent, which each recipient device downloads and
     * checks; blob sizes are log-uniform from {@code mediaBytes} to {@code maxMediaBytes}, as bodies are.
     */
    public record Messages(
            int ratePerSecond,
            int bodyBytes,
            int maxBodyBytes,
            double readShare,
            Duration readDelay,
            double groupShare,
            double typingShare,
            double mediaShare,
            int mediaBytes,
            int maxMediaBytes) {
        /** A photo as WhatsApp sends it after its client's compression: about 100 KB. */
        public static final int MEDIA_BYTES_DEFAULT = 100 * 1024;
    }

    /**
     * The offered rate over time, from the start of the warm-up: {@code messages.rate × ramp(t) × diurnal(t)}, where the
     * ramp rises linearly from 0 to 1 over {@code rampUp} (zero: no ramp) and the diurnal swing is {@code 1 +
     * diurnalAmplitude × sin(2π t / diurnalPeriod)} (amplitude zero: none), a day compressed into a period.
     */
    public record Curve(Duration rampUp, double diurnalAmplitude, Duration diurnalPeriod) {
        /** The factor on the rate {@code sinceStartNs} after the start of the warm-up. */
        public double factorAt(long sinceStartNs) {
            double ramp = rampUp.isZero() ? 1 : Math.min(1, sinceStartNs / (double) rampUp.toNanos());
            double swing = diurnalAmplitude == 0
                    ? 1
                    : 1 + diurnalAmplitude * Math.sin(2 * Math.PI * sinceStartNs / diurnalPeriod.toNanos());
            return ramp * swing;
        }
    }

    /**
     * Groups created by one of their members before the workload starts: {@code count} groups, each of a size (the
     * creator included) drawn log-uniformly from {@code minSize..maxSize}, so small groups are common and large ones
     * rare; equal bounds give every group that size. Members are distinct users drawn uniformly from the seed.
     * {@code changesPerSecond} membership changes a second during warm-up and the measured window; 0: none.
     */
    public record Groups(int count, int minSize, int maxSize, double changesPerSecond) {
        public static final Groups NONE = new Groups(0, 8, 8);

        /** Groups whose membership does not change during the run. */
        public Groups(int count, int minSize, int maxSize) {
            this(count, minSize, maxSize, 0);
        }
    }

    /**
     * A seeded contacts graph: each user has {@code perUser} contacts, each drawn from a power-law popularity over all
     * users (the user of popularity rank r is drawn with probability ∝ r^−{@code exponent}), so that a few users are
     * in many users' contacts. One-to-one recipients and presence subscriptions are then drawn from the sender's
     * contacts. {@code perUser == 0} means no graph: any other user, uniformly.
     */
    public record Contacts(int perUser, double exponent) {
        public boolean enabled() {
            return perUser > 0;
        }
    }

    /**
     * Each session subscribes to the presence of {@code subscriptionsPerUser} other users: its first contacts with a
     * contacts graph, else users drawn from the seed.
     */
    public record Presence(int subscriptionsPerUser) {}

    /**
     * Online/offline churn. Each device alternates online sessions and offline gaps, both exponentially distributed:
     * sessions with mean {@code sessionLength}, gaps with the mean that makes {@code online} the expected share of
     * devices online at any time ({@code sessionLength × (1 − online) / online}); a user is online while any of its
     * devices is. {@code online == 1} means every device connects at the start and stays.
     */
    public record Churn(double online, Duration sessionLength) {
        /** Mean offline gap in nanoseconds; unused when everyone stays online. */
        public double meanOfflineNs() {
            return sessionLength.toNanos() * (1 - online) / online;
        }

        public boolean churns() {
            return online < 1;
        }
    }

    /**
     * The scenario {@code variant} runs: this one, with the variant's encryption, codec and transport where it names
     * them.
     */
    public Scenario forVariant(Variant variant) {
        Encryption clientsEncrypt = variant.encryption() == null ? encryption : variant.encryption();
        Codec clientsSpeak = codecOf(variant);
        Transport clientsReach = transportOf(variant);
        return clientsEncrypt == encryption && clientsSpeak == codec && clientsReach == transport
                ? this
                : new Scenario(
                        file,
                        name,
                        question,
                        seed,
                        users,
                        devicesPerUser,
                        clientsReach,
                        clientsEncrypt,
                        clientsSpeak,
                        sessions,
                        duration,
                        warmup,
                        drain,
                        messages,
                        curve,
                        groups,
                        contacts,
                        presence,
                        churn,
                        serverMode,
                        devices,
                        server,
                        variants,
                        slos,
                        faults);
    }

    /**
     * Phones: a seeded {@code background} share of devices registers for {@code sim} pushes, connects at the start,
     * disconnects after {@code idleAfter} without a message in either direction, and connects again only when a push
     * reaches it, after a delay drawn from a log-normal distribution with median {@code wakeDelay} and 95th percentile
     * {@code wakeDelayP95} (push through APNs or FCM to the phone, the app woken, its connection opened). Background
     * devices do not churn; the others do as {@link Churn} says.
     */
    public record Devices(double background, Duration idleAfter, Duration wakeDelay, Duration wakeDelayP95) {
        /**
         * An app's background push reaching the phone: about 0.8 s mean and 2 s at p95 between the APNs request and
         * the phone ringing, reported for PushKit pushes in the US (Apple Developer Forums, thread 825224); LoginTC
         * measured a 1.07 s mean on iOS and 2.31 s on Android (2013). The app's own launch is on top.
         */
        public static final Duration WAKE_DELAY_DEFAULT = Duration.ofMillis(800);

        public static final Duration WAKE_DELAY_P95_DEFAULT = Duration.ofSeconds(2);
        public static final Duration IDLE_AFTER_DEFAULT = Duration.ofSeconds(2);
        public static final Devices NONE =
                new Devices(0, IDLE_AFTER_DEFAULT, WAKE_DELAY_DEFAULT, WAKE_DELAY_P95_DEFAULT);

        /** The log-normal's σ: its 95th percentile is {@code median × e^(1.645 σ)}. */
        public double wakeSigma() {
            return Math.log(wakeDelayP95.toNanos() / (double) wakeDelay.toNanos()) / 1.6449;
        }
    }

    /** How the variant's clients reach the server: its own transport, else the scenario's. */
    public Transport transportOf(Variant variant) {
        return variant.transport() == null ? transport : variant.transport();
    }

    /** The encoding the variant's clients speak: its own, else the scenario's. */
    public Codec codecOf(Variant variant) {
        return variant.codec() == null ? codec : variant.codec();
    }

    /**
     * The wire format the clients' frames are in: {@code none} on the direct transport, whose clients hand the router
     * commands and read records, and no byte goes through a codec; else the codec's subprotocol.
     */
    public String wireFormat() {
        return transport == Transport.DIRECT ? "none" : codec.wire().subprotocol();
    }

    /** The encoding virtual clients speak, named {@code json} and {@code binary} in a scenario. */
    public enum Codec {
        /** sb.json.v1 in WebSocket text frames. */
        @JsonProperty("json")
        JSON(WireCodec.JSON),
        /** sb.bin.v1 (SBE) in WebSocket binary frames. */
        @JsonProperty("binary")
        BINARY(WireCodec.BINARY);

        private final WireCodec wire;

        Codec(WireCodec wire) {
            this.wire = wire;
        }

        public WireCodec wire() {
            return wire;
        }
    }

    /**
     * A named set of server settings layered over {@link Scenario#server()}, and the clients' encryption, encoding and
     * transport when they differ from the scenario's (null: the scenario's {@link Scenario#encryption()}, {@link
     * Scenario#codec()}, {@link Scenario#transport()}).
     */
    public record Variant(
            String name, Map<String, String> server, Encryption encryption, Codec codec, Transport transport) {
        /** A variant of server settings only. */
        public Variant(String name, Map<String, String> server) {
            this(name, server, null, null, null);
        }
    }

    /** What virtual clients put in envelopes; a scenario names it as {@code none} and {@code signal}. */
    public enum Encryption {
        /** {@code plain} envelopes carrying the plaintext, as before clients encrypted. */
        @JsonProperty("none")
        NONE,
        /**
         * Signal sessions (libsignal): every device has keys on the server, {@code pkmsg}/{@code msg} envelopes per
         * recipient device, sender keys ({@code skmsg}) in groups. See docs/e2ee.md.
         */
        @JsonProperty("signal")
        SIGNAL
    }

    /**
     * Whether Signal sessions and sender keys exist before the workload starts; a scenario names it as {@code
     * first-contact} and {@code established}. Envelopes without sessions ({@code encryption: none}) ignore it.
     */
    public enum Sessions {
        /** Each device fetches keys and builds a session at its first message to a user or group, inside the run. */
        @JsonProperty("first-contact")
        FIRST_CONTACT,
        /**
         * Before the warm-up, every device online at the start builds its sessions with its contacts and its groups'
         * members and hands out its sender keys, over the key server and the message path: the run measures messaging
         * between devices that have met, WhatsApp's common case.
         */
        @JsonProperty("established")
        ESTABLISHED
    }

    /** How virtual clients connect; a scenario names them as {@code websocket}, {@code in-process} and {@code direct}. */
    public enum Transport {
        /**
         * Real WebSocket connections over loopback, one per device (bounded by the open-files limit: {@link
         * ScenarioLoader#MAX_WEBSOCKET_DEVICES}).
         */
        @JsonProperty("websocket")
        WEBSOCKET,
        /**
         * In-process Netty channels ({@code LocalChannel}) into the embedded core's same pipeline: HTTP upgrade,
         * WebSocket, the same session and codec code as a socket client meets; no sockets, so no open-files cap.
         */
        @JsonProperty("in-process")
        IN_PROCESS,
        /**
         * No channel at all: virtual clients on a thread of their own hand commands straight to the embedded core's
         * router, through the interface its I/O loops use, and read what it sends from their own outbox ring. Measures
         * the core (owners, journal, rings) the way a microbenchmark measures a part; sharded routing only.
         */
        @JsonProperty("direct")
        DIRECT
    }

    /** Where the server runs; a scenario names it as {@code server.mode: embedded} or {@code process}. */
    public enum ServerMode {
        /** In the simulator's own JVM: its counters read directly, the heap census possible. */
        @JsonProperty("embedded")
        EMBEDDED,
        /**
         * A process of its own, started through the {@code switchboard} launcher with the scenario's settings and a
         * scratch data directory, its metrics scraped over HTTP ({@code /metrics}); faults can kill it.
         */
        @JsonProperty("process")
        PROCESS,
        /**
         * Already running, started by its user ({@code run --target HOST:PORT}; no scenario names it): reached as a
         * process is, but never started, configured, stopped or killed by the run.
         */
        TARGET
    }

    /**
     * Something that breaks {@code at} a time from the start of the warm-up, for {@code lasting} where it applies.
     *
     * @param kind what breaks
     * @param at when, from the start of the warm-up
     * @param lasting how long the server stays down after a {@code kill} before it is started again, or how long a
     *     {@code network} profile, a {@code partition}, {@code slowReaders} or {@code diskFull} lasts
     * @param profile the network profile of a {@code network} fault ({@code good-mobile}, {@code bad-mobile}); else null
     * @param share the share of devices that read slowly in a {@code slowReaders} fault; else 0
     * @param bytesPerSecond how fast those devices read; else 0
     */
    public record Fault(
            FaultKind kind, Duration at, Duration lasting, String profile, double share, long bytesPerSecond) {
        /** A fault without a network profile. */
        public Fault(FaultKind kind, Duration at, Duration lasting) {
            this(kind, at, lasting, null, 0, 0);
        }

        /** Whether the clients must reach the server through the simulator's network ({@code NetworkProxy}). */
        public boolean onTheNetwork() {
            return kind == FaultKind.NETWORK || kind == FaultKind.PARTITION || kind == FaultKind.SLOW_READERS;
        }
    }

    /** The faults a scenario can name. */
    public enum FaultKind {
        /** SIGKILL the server process; it is started again on the same port and data after the fault's {@code for}. */
        @JsonProperty("kill")
        KILL,
        /** SIGTERM the server process, wait for its clean stop, and start it again. */
        @JsonProperty("restart")
        RESTART,
        /**
         * Every client connection closes at once, abruptly (as when a network drops), and every device reconnects at
         * once without back-off: the thundering herd after a restart or a network's return.
         */
        @JsonProperty("storm")
        STORM,
        /** The network between clients and server behaves as a named profile (latency, jitter, bandwidth, drops). */
        @JsonProperty("network")
        NETWORK,
        /** Every client connection is dropped, and new ones refused, for the fault's {@code for}. */
        @JsonProperty("partition")
        PARTITION,
        /**
         * A seeded share of the devices, which always reach the server through a lane of the simulator's network of
         * their own, read at a set rate for the fault's {@code for}: the server meets real slow TCP readers.
         */
        @JsonProperty("slowReaders")
        SLOW_READERS,
        /**
         * The server's data directory, a tmpfs of its own for the run ({@code DataDisk}), is filled to its last byte
         * for the fault's {@code for}, then given back: sends are refused, nothing acknowledged is lost, and service
         * resumes when the space returns.
         */
        @JsonProperty("diskFull")
        DISK_FULL;

        /** As a scenario names it ({@code slowReaders}, {@code diskFull}). */
        public String scenarioName() {
            try {
                return FaultKind.class
                        .getField(name())
                        .getAnnotation(JsonProperty.class)
                        .value();
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Whether it acts on the server's process or its disk, which only a run that started the server can do. */
        public boolean onTheServer() {
            return this == KILL || this == RESTART || this == DISK_FULL;
        }

        /** Whether it lasts for a time that the scenario must give ({@code for}). */
        public boolean needsTime() {
            return this == NETWORK || this == PARTITION || this == SLOW_READERS || this == DISK_FULL;
        }
    }
}
