package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.scenario.Scenario;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One run of a scenario's workload: open-loop Poisson arrivals at the target rate from the seed (same seed, same
 * workload), each message carrying its global index and intended send time in its body. Every user has the
 * scenario's devices, each a connection of its own ({@link DeviceSlots}). The sender is a random online device, the
 * recipient any other registered user, online or not, with one envelope for each of its devices: the server queues
 * for offline devices and delivers on their next session. Recipient devices acknowledge every message, and a user
 * marks a seeded share as read, once, from one of its devices; the {@link Oracle} checks all of it, per device.
 *
 * <p>A share of the arrivals goes to groups ({@link GroupPlan}, created by their creators before the workload starts)
 * from a random device of a member who may send; every other member device gets it, the sender's own other devices
 * included, and each other member reads a read group message after a delay of its own. With {@link MembershipChanges},
 * members come and go during the workload, each change serialized with its group's messages. A delivery is timed unless
 * the recipient device's session was welcomed after the message's intended send time (it waited for a login). Each
 * session subscribes to a few users' presence, and a share of messages is preceded by a typing frame; presence and
 * typing frames are counted ({@link PresenceCounts}), not checked.
 *
 * <p>Devices go online and offline as the {@link ChurnSchedule} says; a user is online while any of its devices is.
 * Per-device state is a few arrays indexed by slot (about 37 bytes a device, plus the schedule's 8 and the client's
 * channel slot): no object per device. A session ends only once its sends are acknowledged, since this client does
 * not resend (the server would de-duplicate a resend, but then the oracle could not tell an ack from a re-ack), and
 * it ends with a WebSocket close after its last frame. During the drain nobody leaves, and every device a message
 * still waits on (an offline recipient device, a sending device owed a receipt) is brought online once a second, so
 * that nothing waits for a login that the run would never reach.
 *
 * <p>Everything runs on the client event loop; the progress fields are read by the main thread.
 */
final class ScenarioRun implements VirtualClients.Listener, GroupCreation.Creators, MembershipChanges.Actors {
    static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);
    private static final long TICK_MICROS = 100;
    private static final long SETTLED_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long WAITING_SCAN_NS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Handshakes in flight at most: bounds the burst at the start and when many users come back at once. A handshake
     * costs about 300 µs of the client loop in-process (both ends run there), so 64 of them delay the messages queued
     * behind them by about 20 ms; 512 showed as 150–300 ms spikes in the p99 of the million-user run.
     */
    private static final int MAX_CONNECTING = 64;
    /** How long an event waits when it comes while the device is still between two states. */
    private static final long RETRY_MS = 10;
    /** A message due to be read while its reader is offline is read once the reader is back: checked this often. */
    private static final long READ_RETRY_MS = 1000;
    /** Bits of a pending read's payload: the message index (an {@code int}). */
    private static final int INDEX_BITS = 31;
    /** Bits of a member's position in its group (below 1,024) in a pending group read's payload. */
    private static final int POSITION_BITS = 10;
    /**
     * Group reads are due in units of this many ms: their payload leaves 22 bits for the deadline, which in ms would
     * end a run with group reads after 70 minutes; in 10 ms units it lasts 11 hours.
     */
    private static final long GROUP_READ_UNIT_MS = 10;
    /** Draws of a group member who may send before a group arrival is given up (churn only). */
    private static final int GROUP_SENDER_DRAWS = 8;

    private static final byte OFFLINE = 0;
    private static final byte CONNECTING = 1;
    private static final byte ONLINE = 2;
    /** The session is over but sends are unacknowledged: the close waits for them. */
    private static final byte LEAVING = 3;
    /** The close is sent; the connection has not closed yet. */
    private static final byte CLOSING = 4;

    private final Scenario scenario;
    private final int users;
    private final DeviceSlots slots;
    /** Registered devices: users × devices per user. */
    private final int devices;

    private final ChurnSchedule churn;
    private final byte[] state;
    private final int[] inFlight;
    /** Devices that may send (welcomed, not leaving), packed; {@code senderPlace[device]} is a device's place or -1. */
    private final int[] senders;

    private final int[] senderPlace;
    private int senderCount;
    private int connecting;
    private VirtualClients clients;
    private final Arrivals arrivals;
    private final UnsafeBuffer body;
    /** Body sizes: log-uniform over {@code messages.bodyBytes}; see {@link #bodyLength}. */
    private final double logMinBody;

    private final double logBodySpan;
    private final Frame read = new Frame();
    private final GroupPlan groups;
    private final ContactGraph contacts;
    private final Oracle oracle;
    private final DeliverySeqs seqs;
    private final ClientInbox inbox = new ClientInbox();
    /** Messages delivered and due to be read, by when (ms on the churn clock). */
    private final DeadlineQueue reads = new DeadlineQueue(INDEX_BITS, 1024);
    /** Group messages due to be read by one member: (index, member position), by when (in group read units). */
    private final DeadlineQueue groupReads = new DeadlineQueue(INDEX_BITS + POSITION_BITS, 1024);
    /** When each device's current session was welcomed: a message sent before it waited for a login. */
    private final long[] welcomedNs;

    private final CompletableFuture<Void> groupsCreated = new CompletableFuture<>();
    private boolean creatingGroups;
    private final GroupCreation creation;
    private final MembershipChanges changes;
    private final Frame typing = new Frame();
    private final PresenceCounts presenceCounts = new PresenceCounts();

    private final double meanReadDelayMs;
    private final Histogram send2deliver = new Histogram(MAX_MICROS, 3);
    private final Histogram send2ack = new Histogram(MAX_MICROS, 3);
    private final Histogram send2receipt = new Histogram(MAX_MICROS, 3);
    private final SecondSeries seconds = new SecondSeries();
    /** Opens at {@link #measureStartNs}, closes at {@link #endNs}, before the drain. */
    private final MeasuredWindow window;

    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final long[] intendedNs;
    private int welcomes;
    private long scheduleStartNs;
    private long startNs;
    private long measureStartNs;
    private long endNs;
    private long drainDeadlineNs;
    private long nextArrivalNs;
    private long lastSettledCheckNs;
    private long lastWaitingScanNs;
    private boolean draining;
    private long drainNs;
    private long windowSent;
    private long windowSentToOffline;
    private long windowDelivered;
    /** Deliveries made while the measured window was open, whatever their send time: the delivery rate. */
    private long deliveriesInWindow;
    /** Whether the drain ended because everything arrived, not at its limit. */
    private boolean drainSettled;

    private ScheduledFuture<?> ticker;
    private volatile Progress progress = new Progress(0, 0, 0, 0, 0, 0);

    /** What the progress line shows; published once per second. */
    record Progress(double elapsedSec, long sent, long delivered, long p99Micros, long errors, int online) {}

    ScenarioRun(Scenario scenario, MeasuredWindow.Listener measured) {
        this.scenario = scenario;
        window = new MeasuredWindow(measured);
        users = scenario.users();
        slots = new DeviceSlots(scenario.devicesPerUser());
        devices = slots.count(users);
        churn = new ChurnSchedule(scenario.seed(), devices, scenario.churn());
        state = new byte[devices];
        inFlight = new int[devices];
        senders = new int[devices];
        senderPlace = new int[devices];
        Arrays.fill(senderPlace, -1);
        groups = new GroupPlan(scenario.seed(), users, scenario.groups());
        creation = new GroupCreation(groups, slots);
        changes = new MembershipChanges(
                scenario.seed(),
                scenario.groups().changesPerSecond(),
                groups,
                users,
                scenario.groups().maxSize());
        contacts = new ContactGraph(scenario.seed(), users, scenario.contacts());
        arrivals = new Arrivals(
                scenario.seed(),
                scenario.contacts().enabled() ? contacts.perUser() : users - 1,
                scenario.messages(),
                scenario.curve(),
                groups.count());
        oracle = new Oracle(groups, slots);
        welcomedNs = new long[devices];
        seqs = new DeliverySeqs(devices);
        meanReadDelayMs = scenario.messages().readDelay().toMillis();
        body = new UnsafeBuffer(new byte[scenario.messages().maxBodyBytes()]);
        logMinBody = Math.log(scenario.messages().bodyBytes());
        logBodySpan = Math.log(scenario.messages().maxBodyBytes() + 1.0) - logMinBody;
        long expected = (long) (scenario.messages().ratePerSecond()
                        * (scenario.warmup().toMillis() + scenario.duration().toMillis())
                        / 1000.0
                        * 1.2)
                + 1024;
        intendedNs = new long[(int) Math.min(expected, Integer.MAX_VALUE - 8)];
    }

    /** The connections this run drives; they report to this run. */
    void attach(VirtualClients clients) {
        this.clients = clients;
        clients.acknowledgeReceipts();
    }

    /** Completes once the devices online at the start are connected and welcomed. */
    CompletableFuture<Void> welcomed() {
        return welcomed;
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    Progress progress() {
        return progress;
    }

    int initiallyOnline() {
        return churn.initiallyOnline();
    }

    /** Starts the churn schedule: the devices online at the start connect now, the others at their first login. */
    void connect(EventLoop loop) {
        loop.execute(() -> {
            scheduleStartNs = System.nanoTime();
            ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
        });
    }

    /**
     * After {@link #welcomed()}, before the workload: each group's creator, from its device 1 (logged in for it if
     * offline), creates it, at most {@link GroupCreation#MAX_CREATING} at a time; churn waits meanwhile. Completes once every group
     * exists.
     */
    CompletableFuture<Void> createGroups(EventLoop loop) {
        loop.execute(() -> {
            creatingGroups = true;
            groupCreated();
        });
        return groupsCreated;
    }

    @Override
    public boolean online(int device, long nowMs) {
        if (state[device] == OFFLINE && connecting < MAX_CONNECTING) {
            login(device, nowMs);
        }
        return state[device] == ONLINE;
    }

    @Override
    public void send(int device, Frame request) {
        clients.write(device, request);
    }

    @Override
    public void sendChange(int device, Frame request) {
        inFlight[device]++;
        clients.write(device, request);
    }

    @Override
    public void leaving(int group, int member) {
        oracle.memberGone(group, member);
    }

    @Override
    public int onlineDevice(int user, long nowMs) {
        for (int d = 1; d <= slots.devicesPerUser(); d++) {
            if (state[slots.slot(user, d)] == ONLINE) {
                return slots.slot(user, d);
            }
        }
        online(slots.slot(user, 1), nowMs);
        return -1;
    }

    private void groupCreated() {
        if (creation.done()) {
            creatingGroups = false;
            groupsCreated.complete(null);
        }
    }

    /** Starts the workload after {@link #createGroups}: warm-up, the measured window, then the drain. */
    void start(EventLoop loop) {
        loop.execute(() -> {
            long now = System.nanoTime();
            measureStartNs = now + scenario.warmup().toNanos();
            endNs = measureStartNs + scenario.duration().toNanos();
            drainDeadlineNs = endNs + scenario.drain().toNanos();
            window.set(measureStartNs, endNs);
            nextArrivalNs = now;
            seconds.start(now);
            startNs = now;
            changes.start(now);
        });
    }

    private void tick() {
        long now = System.nanoTime();
        long nowMs = (now - scheduleStartNs) / 1_000_000;
        if (creatingGroups) {
            creation.sendDue(this, nowMs);
        } else {
            churn(nowMs);
        }
        readsDue(nowMs);
        if (startNs != 0) {
            if (seconds.due(now)) {
                closeSecond(now);
            }
            changes.sendDue(now, endNs, nowMs, this);
            window.at(now);
            if (now < endNs) {
                sendDue(now);
            } else {
                drain(now);
            }
        }
        clients.flushWritten();
    }

    private void drain(long now) {
        if (!draining || now - lastWaitingScanNs > WAITING_SCAN_NS) {
            draining = true;
            lastWaitingScanNs = now;
            long nowMs = (now - scheduleStartNs) / 1_000_000;
            oracle.forEachWaitingDevice(device -> {
                if (state[device] == OFFLINE) {
                    churn.add(nowMs, device);
                }
            });
        }
        boolean limit = now > drainDeadlineNs;
        if (limit || (now - lastSettledCheckNs > SETTLED_CHECK_NS && settledAt(now))) {
            drainSettled = !limit || oracle.settled();
            closeSecond(now);
            drainNs = now - endNs;
            ticker.cancel(false);
            finished.complete(null);
        }
    }

    /** Logins and logouts due by {@code nowMs}, at most {@link #MAX_CONNECTING} handshakes at a time. */
    private void churn(long nowMs) {
        while (connecting < MAX_CONNECTING && churn.due(nowMs)) {
            long atMs = churn.nextDeadlineMs();
            int device = churn.poll();
            switch (state[device]) {
                case OFFLINE -> login(device, atMs);
                case ONLINE -> {
                    if (!draining) {
                        logout(device, atMs);
                    }
                }
                case CONNECTING, LEAVING, CLOSING -> {
                    // Between two states (a session shorter than its handshake, a login before the last close
                    // finished): try again shortly. During the drain a connecting user is where it should be.
                    if (!draining || state[device] != CONNECTING) {
                        churn.add(nowMs + RETRY_MS, device);
                    }
                }
                default -> throw new IllegalStateException("device state " + state[device]);
            }
        }
    }

    /** Reads due by {@code nowMs}, each from a device of its reader that can write now, else retried later. */
    private void readsDue(long nowMs) {
        while (reads.due(nowMs)) {
            int index = (int) reads.poll();
            int device = writableDevice(oracle.recipientOf(index));
            if (device >= 0) {
                sendRead(index, device);
            } else {
                reads.add(nowMs + READ_RETRY_MS, index);
            }
        }
        while (groupReads.due(nowMs / GROUP_READ_UNIT_MS)) {
            long entry = groupReads.poll();
            int index = (int) (entry >>> POSITION_BITS);
            int reader = oracle.groupMembersOf(index)[(int) (entry & ((1 << POSITION_BITS) - 1))];
            if (oracle.waived(index, reader)) {
                // The reader went from the group after the message (the change is sent): it reads it no more.
                continue;
            }
            int device = writableDevice(reader);
            if (device >= 0) {
                sendRead(index, device);
            } else {
                groupReads.add((nowMs + READ_RETRY_MS) / GROUP_READ_UNIT_MS, entry);
            }
        }
    }

    /** The user's first device (by number) that can write now, or -1. */
    private int writableDevice(int user) {
        for (int d = 1; d <= slots.devicesPerUser(); d++) {
            int device = slots.slot(user, d);
            if (canWrite(device)) {
                return device;
            }
        }
        return -1;
    }

    private boolean canWrite(int device) {
        return state[device] == ONLINE || state[device] == LEAVING;
    }

    /** Whether any device of the user is online. */
    private boolean online(int user) {
        for (int d = 1; d <= slots.devicesPerUser(); d++) {
            if (state[slots.slot(user, d)] == ONLINE) {
                return true;
            }
        }
        return false;
    }

    /** The reader's device marks the message read: the frame names the device that sent it. */
    private void sendRead(int index, int device) {
        int sender = oracle.senderOf(index);
        clients.write(
                device,
                read.reset(FrameType.READ)
                        .from(VirtualClients.userOf(slots.user(sender)), slots.device(sender))
                        .addId(Oracle.idOf(index)));
        oracle.readSent(index, slots.user(device));
    }

    private void login(int device, long atMs) {
        state[device] = CONNECTING;
        connecting++;
        clients.connect(device);
        if (churn.churns() && !draining) {
            churn.add(churn.afterSession(device, atMs), device);
        }
    }

    private void logout(int device, long atMs) {
        removeSender(device);
        churn.add(churn.afterGap(device, atMs), device);
        if (inFlight[device] == 0) {
            close(device);
        } else {
            state[device] = LEAVING;
        }
    }

    private void close(int device) {
        state[device] = CLOSING;
        clients.close(device);
    }

    private void addSender(int device) {
        senderPlace[device] = senderCount;
        senders[senderCount++] = device;
    }

    private void removeSender(int device) {
        int place = senderPlace[device];
        if (place >= 0) {
            int last = senders[--senderCount];
            senders[place] = last;
            senderPlace[last] = place;
            senderPlace[device] = -1;
        }
    }

    /** Whether everything has arrived; walks every message, so the drain asks at most every 10 ms. */
    private boolean settledAt(long now) {
        lastSettledCheckNs = now;
        return oracle.settled();
    }

    private void closeSecond(long now) {
        long p99 = seconds.close();
        Oracle.Progress counts = oracle.progress();
        progress = new Progress(
                (now - startNs) / 1e9, counts.sent(), counts.delivered(), p99, counts.errors(), senderCount);
    }

    /** Sends every arrival due by now: open loop, so a late tick sends a burst stamped with the intended times. */
    private void sendDue(long now) {
        while (nextArrivalNs <= now && nextArrivalNs < endNs) {
            // Without churn every device is online, and the sender is drawn from all devices exactly as before churn.
            // With churn an arrival that finds no device online is not sent (the achieved rate shows it).
            arrivals.next(churn.churns() ? Math.max(1, senderCount) : devices, nextArrivalNs - startNs);
            if (arrivals.group >= 0) {
                sendToGroup(arrivals.group);
            } else if (!churn.churns() || senderCount > 0) {
                send(churn.churns() ? senders[arrivals.senderDraw] : arrivals.senderDraw, arrivals.recipientDraw);
            }
            nextArrivalNs += arrivals.gapNs;
        }
    }

    /**
     * A message from a random device of a member of the group that may send now; with churn, a few draws find one or
     * the arrival is not sent (like an arrival that finds nobody online).
     */
    private void sendToGroup(int group) {
        if (changes.holds(group)) {
            changes.held();
            return;
        }
        int[] members = groups.members(group);
        int perUser = slots.devicesPerUser();
        for (int attempt = 0; attempt < GROUP_SENDER_DRAWS; attempt++) {
            int draw = arrivals.member(attempt, members.length * perUser);
            int sender = slots.slot(members[draw / perUser], draw % perUser + 1);
            if (senderPlace[sender] >= 0) {
                writeMessage(sender, stamp(oracle.sentToGroup(sender, group), sender), -1, group);
                changes.sent(group);
                windowSent += inWindow(nextArrivalNs) ? 1 : 0;
                return;
            }
        }
    }

    /** Records a new message's intended time and puts its index and that time in the body. */
    private int stamp(int index, int sender) {
        if (index < intendedNs.length) {
            intendedNs[index] = nextArrivalNs;
        }
        inFlight[sender]++;
        body.putLong(0, index);
        body.putLong(8, nextArrivalNs);
        return index;
    }

    /**
     * Writes message {@code index} to a user ({@code recipient}) or a group ({@code group}, the other one -1): a
     * seeded share is preceded by a typing frame to the same conversation. A one-to-one message carries an envelope for
     * each device of its recipient (the server refuses any other set); a group message one envelope without a device,
     * like a sender-key message.
     */
    private void writeMessage(int sender, int index, int recipient, int group) {
        if (Mix.unitInterval(scenario.seed() + 3L * index) < scenario.messages().typingShare()) {
            clients.write(sender, addressed(typing.reset(FrameType.TYPING).on(true), recipient, group));
            presenceCounts.typingSent++;
        }
        Frame send = addressed(clients.outFrame().reset(FrameType.SEND).id(Oracle.idOf(index)), recipient, group);
        int length = bodyLength(index);
        if (group >= 0) {
            send.addEnvelope(0, EnvelopeType.SKMSG, body, 0, length);
        } else {
            for (int device = 1; device <= slots.devicesPerUser(); device++) {
                send.addEnvelope(device, EnvelopeType.PLAIN, body, 0, length);
            }
        }
        clients.write(sender, send);
        seconds.sent();
    }

    /** Message {@code index}'s body size, a function of the seed and the index alone (same seed, same sizes). */
    private int bodyLength(int index) {
        double draw = Mix.unitInterval(scenario.seed() + 5L * index);
        int length = (int) Math.exp(logMinBody + draw * logBodySpan);
        // exp(log(n)) may come out just below n: never below the minimum, which leaves room for index and time.
        return Math.max(scenario.messages().bodyBytes(), Math.min(body.capacity(), length));
    }

    private Frame addressed(Frame frame, int recipient, int group) {
        return group >= 0 ? frame.toGroup(groups.id(group)) : frame.toUser(VirtualClients.userOf(recipient));
    }

    /** A one-to-one message from a device to another user, drawn among its user's contacts or all other users. */
    private void send(int sender, int recipientDraw) {
        int user = slots.user(sender);
        int recipient = contacts.perUser() > 0
                ? contacts.contact(user, recipientDraw)
                : recipientDraw >= user ? recipientDraw + 1 : recipientDraw;
        int index = stamp(oracle.sent(sender, recipient), sender);
        boolean toOffline = !online(recipient);
        writeMessage(sender, index, recipient, -1);
        if (inWindow(nextArrivalNs)) {
            windowSent++;
            windowSentToOffline += toOffline ? 1 : 0;
        }
    }

    @Override
    public void onFrame(int me, Frame frame) {
        long now = System.nanoTime();
        switch (frame.type()) {
            case WELCOME -> welcome(me);
            case ACK -> {
                int index = oracle.indexOf(me, frame.id());
                if (index >= 0) {
                    oracle.acked(index);
                    groupAnswered(index);
                    long intended = index < intendedNs.length ? intendedNs[index] : 0;
                    if (inWindow(intended)) {
                        send2ack.recordValue(Math.min(MAX_MICROS, (now - intended) / 1000));
                    }
                    answered(me);
                }
            }
            case MSG -> onMsg(me, frame, now);
            case RECEIPT -> {
                int index = oracle.indexOf(me, frame.id());
                if (frame.kind() == ReceiptKind.DELIVERED) {
                    boolean right = oracle.deliveredReceipt(index, frame.hasToGroup());
                    long intended = right && index < intendedNs.length ? intendedNs[index] : 0;
                    if (inWindow(intended)) {
                        send2receipt.recordValue(Math.min(MAX_MICROS, (now - intended) / 1000));
                    }
                } else {
                    oracle.readReceipt(index, frame.hasToGroup(), frame.hasToGroup() ? -1 : (int) (frame.toUser() - 1));
                }
            }
            case RESULT -> {
                try {
                    if (changes.owns(frame.req())) {
                        changes.result(frame);
                        answered(me);
                    } else {
                        creation.result(frame);
                        groupCreated();
                    }
                } catch (IllegalStateException refused) {
                    fail(refused);
                }
            }
            case GROUP_EVENT -> changes.eventReceived();
            case PRESENCE -> presenceCounts.presenceReceived++;
            case TYPING -> presenceCounts.typingReceived++;
            case ERROR -> {
                int index = frame.hasId() ? oracle.indexOf(me, frame.id()) : -1;
                if (index >= 0) {
                    oracle.rejected(index);
                    groupAnswered(index);
                    answered(me);
                }
            }
            default -> {
                // pong and anything newer are not part of this workload
            }
        }
    }

    /** A group message was answered: its group may change once none of its messages is in flight. */
    private void groupAnswered(int index) {
        if (oracle.isGroup(index)) {
            changes.answered(oracle.groupOf(index));
        }
    }

    private void welcome(int me) {
        if (state[me] != CONNECTING) {
            return;
        }
        state[me] = ONLINE;
        connecting--;
        addSender(me);
        welcomedNs[me] = System.nanoTime();
        seqs.sessionStarted(me);
        subscribe(me);
        if (++welcomes == churn.initiallyOnline()) {
            welcomed.complete(null);
        }
    }

    /**
     * A new session subscribes to the presence of its user's first contacts, or without a contacts graph of users
     * drawn from the seed (other ones every session).
     */
    private void subscribe(int me) {
        int subscriptions = scenario.presence().subscriptionsPerUser();
        int user = slots.user(me);
        for (int i = 0; i < subscriptions; i++) {
            int target;
            if (contacts.perUser() > 0) {
                target = contacts.contact(user, i % contacts.perUser());
            } else {
                int draw =
                        (int) ((Mix.mix(scenario.seed() ^ ((long) me << 20) ^ presenceCounts.subscriptionsSent) >>> 1)
                                % (users - 1));
                target = draw >= user ? draw + 1 : draw;
            }
            clients.write(me, clients.outFrame().reset(FrameType.SUB).user(VirtualClients.userOf(target)));
            presenceCounts.subscriptionsSent++;
        }
    }

    /** A send was acknowledged or refused; a leaving session closes after its last one. */
    private void answered(int me) {
        if (--inFlight[me] == 0 && state[me] == LEAVING) {
            if (draining) {
                state[me] = ONLINE;
                addSender(me);
            } else {
                close(me);
            }
        }
    }

    private void onMsg(int me, Frame frame, long now) {
        int index = (int) frame.bodies().getLong(frame.envelopeBodyOffset(0));
        if (state[me] == CLOSING) {
            // This client said goodbye: a recv or read written now would follow its close frame and be dropped, so
            // it takes no message any more. The server redelivers it on the next session, where it counts; like a
            // message sent to an offline user, it then waited for a login and is not timed.
            return;
        }
        long intended = frame.bodies().getLong(frame.envelopeBodyOffset(0) + 8);
        int sender = slots.slot((int) (frame.fromUser() - 1), frame.fromDevice());
        int delivery = oracle.delivered(index, me, sender, frame.id(), seqs.arrived(me, frame.seq()));
        // The client's own de-duplication decides what its application shows; the oracle only checks it.
        int group = frame.group().isEmpty() ? -1 : groups.indexOf(frame.group());
        if (inbox.show(me, sender, group + 1, frame.id()) && delivery == Oracle.DUPLICATE) {
            oracle.duplicateShown();
        }
        if (delivery > 0) {
            seconds.delivered();
            windowDelivered += inWindow(intended) ? 1 : 0;
            deliveriesInWindow += inWindow(now) ? 1 : 0;
            // A message that reaches a session welcomed after it was sent waited in the server's queue for a login:
            // that wait is churn, not the server's latency, so only deliveries to a session already open when the
            // message was sent are timed. Whether the recipient was online at the send is not enough: a message the
            // server still held when the recipient logged out is delivered on its next session too.
            if (welcomedNs[me] <= intended) {
                long micros = Math.min(MAX_MICROS, (now - intended) / 1000);
                seconds.timed(micros);
                if (inWindow(intended)) {
                    send2deliver.recordValue(micros);
                }
            }
        }
        clients.write(me, clients.outFrame().reset(FrameType.RECV).seq(frame.seq()));
        // Whether and when the recipient reads it are functions of the seed and the message, not of timing. A user
        // reads once: the delivery to its first device schedules the read, which any device of it sends when due.
        if (delivery == Oracle.NEW_TO_READER
                && Mix.unitInterval(scenario.seed() ^ index)
                        < scenario.messages().readShare()) {
            if (meanReadDelayMs == 0) {
                sendRead(index, me);
            } else {
                // Each member of a group reads after a delay of its own.
                int user = slots.user(me);
                long reader = oracle.isGroup(index) ? (long) user << 32 : 0;
                double delayMs = -Math.log(1 - Mix.unitInterval(~scenario.seed() ^ index ^ reader)) * meanReadDelayMs;
                long dueMs = (now - scheduleStartNs) / 1_000_000 + (long) delayMs;
                if (oracle.isGroup(index)) {
                    groupReads.add(
                            dueMs / GROUP_READ_UNIT_MS,
                            ((long) index << POSITION_BITS) | Arrays.binarySearch(oracle.groupMembersOf(index), user));
                } else {
                    reads.add(dueMs, index);
                }
            }
        }
    }

    private boolean inWindow(long ns) {
        return ns >= measureStartNs && ns < endNs;
    }

    @Override
    public void onClosed(int device) {
        byte was = state[device];
        state[device] = OFFLINE;
        if (was == CLOSING || finished.isDone()) {
            return;
        }
        // The server closed a session this client did not end. Without churn that fails the run, as it always did;
        // with churn the device comes back at its next scheduled login, and its unacknowledged sends stay unanswered.
        if (!churn.churns()) {
            fail(new IllegalStateException("connection of user " + VirtualClients.userOf(slots.user(device))
                    + " device " + slots.device(device) + " closed"));
        }
        connecting -= was == CONNECTING ? 1 : 0;
        if (creatingGroups) {
            creation.closed(device);
        }
        changes.closed(device);
        if (inFlight[device] > 0 && scenario.groups().changesPerSecond() > 0) {
            // Its unanswered group messages will never be answered: their groups must not wait for them to change.
            oracle.forEachUnansweredGroupMessage(device, changes::answered);
        }
        removeSender(device);
        inFlight[device] = 0;
    }

    @Override
    public void onError(int device, Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        welcomed.completeExceptionally(cause);
        finished.completeExceptionally(cause);
    }

    /** The run's measurements; call on the client event loop after {@link #finished()}. */
    RunOutcome outcome(HeapCensus heap, RuntimeFigures runtime) {
        return new RunOutcome(
                oracle.counts(),
                windowSent,
                windowSentToOffline,
                windowDelivered,
                deliveriesInWindow,
                send2deliver.copy(),
                send2ack.copy(),
                send2receipt.copy(),
                seconds.histograms(),
                seconds.rows(),
                scenario.duration().toMillis() / 1000.0,
                drainNs / 1e9,
                drainSettled,
                heap,
                groups.count() == 0
                        ? null
                        : new RunOutcome.GroupFigures(
                                groups.count(),
                                groups.largest(),
                                groups.memberships(),
                                scenario.groups().changesPerSecond() > 0 ? changes.figures() : null),
                presenceCounts,
                clients.receiptsSentAgain(),
                runtime.serverCounters(),
                runtime.gc());
    }
}
