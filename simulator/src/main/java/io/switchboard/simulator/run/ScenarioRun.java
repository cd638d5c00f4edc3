package io.switchboard.simulator.run;

import static io.switchboard.simulator.run.SessionStates.CLOSING;
import static io.switchboard.simulator.run.SessionStates.CONNECTING;
import static io.switchboard.simulator.run.SessionStates.LEAVING;
import static io.switchboard.simulator.run.SessionStates.OFFLINE;
import static io.switchboard.simulator.run.SessionStates.ONLINE;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.scenario.Scenario;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * that nothing waits for a login that the run would never reach. Phones in the background come back only by push
 * ({@link PushWakes}), also during the drain.
 *
 * <p>Everything runs on the client event loop; the progress fields are read by the main thread.
 */
final class ScenarioRun
        implements VirtualClients.Listener,
                GroupCreation.Creators,
                MembershipChanges.Actors,
                ReadSchedule.Readers,
                PushWakes.Phones {
    private static final long TICK_MICROS = 100;
    /**
     * Handshakes in flight at most: bounds the burst at the start and when many users come back at once. A handshake
     * costs about 300 µs of the client loop in-process (both ends run there), so 64 of them delay the messages queued
     * behind them by about 20 ms; 512 showed as 150–300 ms spikes in the p99 of the million-user run.
     */
    private static final int MAX_CONNECTING = 64;
    /** How long an event waits when it comes while the device is still between two states. */
    private static final long RETRY_MS = 10;

    private final Scenario scenario;
    private final DeviceSlots slots;
    /** Registered devices: users × devices per user. */
    private final int devices;

    private final ChurnSchedule churn;
    private final SessionStates state;
    private final int[] inFlight;
    private int connecting;
    private DeviceConnections clients;
    private final SenderSet senders;
    private final ArrivalSender arrivals;
    private final GroupPlan groups;
    private final ContactGraph contacts;
    private final Oracle oracle;
    private final DeliverySeqs seqs;
    private final WindowFigures figures;
    private final PushWakes wakes;
    private final MediaMessages media;
    private final ReadSchedule reads;
    private EndBarrier barrier;
    private final Subscriptions subscriptions;

    private final MessageWriter writer;
    private final Envelopes envelopes;
    private final DeliveryCheck deliveries;
    private final ClientCosts costs = new ClientCosts();

    private final GroupCreation creation;
    private final MembershipChanges changes;
    private final PresenceCounts presenceCounts = new PresenceCounts();
    private final SecondSeries seconds = new SecondSeries();
    /** Tells the profiler and the load's CPU share when the measured window opens and closes, before the drain. */
    private final MeasuredWindow window;

    private final WindowCosts windowCosts;

    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private int welcomes;
    private long scheduleStartNs;
    private long startNs;
    private long endNs;
    private final DrainPhase drain;

    private ScheduledFuture<?> ticker;
    private EventLoop loop;

    /** Drives {@code share} of the users: all, or a worker's ({@code run --workers}); media's blobs go over HTTP. */
    ScenarioRun(Scenario scenario, UserShare share, WindowCosts measured, Sealing sealing, MediaMessages media) {
        this.scenario = scenario;
        this.media = media;
        window = new MeasuredWindow(measured);
        windowCosts = measured;
        int users = scenario.users();
        slots = new DeviceSlots(scenario.devicesPerUser(), share.userBase());
        devices = slots.count(users);
        figures = WindowFigures.of(scenario);
        wakes = new PushWakes(scenario, slots, figures);
        churn = new ChurnSchedule(scenario.seed(), devices, scenario.churn(), wakes::background);
        state = new SessionStates(slots, devices);
        inFlight = new int[devices];
        groups = new GroupPlan(scenario.seed(), users, scenario.groups(), share.userBase(), share.groupBase());
        creation = new GroupCreation(groups, slots);
        changes = MembershipChanges.of(scenario, groups);
        contacts = new ContactGraph(scenario.seed(), users, scenario.contacts());
        int expected = TableSizes.expected(scenario);
        oracle = new Oracle(groups, slots, expected, devices);
        drain = new DrainPhase(oracle, media::idle);
        seqs = new DeliverySeqs(devices);
        subscriptions = new Subscriptions(scenario, slots, contacts, presenceCounts);
        reads = new ReadSchedule(scenario, slots, oracle, this);
        envelopes = sealing.envelopes(slots, groups, oracle.ids(), this::fail);
        writer = new MessageWriter(scenario, groups, presenceCounts, seconds, envelopes, media);
        senders = new SenderSet(devices);
        arrivals = new ArrivalSender(
                scenario,
                slots,
                oracle,
                groups,
                contacts,
                changes,
                figures,
                writer,
                senders,
                inFlight,
                state::anyOnline);
        deliveries = new DeliveryCheck(
                slots,
                new DeliveryReader(envelopes, oracle, figures, MediaMessages.maxPlaintextBytes(scenario)),
                oracle,
                new ClientInbox(expected, slots, devices, groups.count() + 1),
                seqs,
                groups,
                seconds,
                figures,
                reads,
                wakes,
                media,
                devices);
    }

    /** For a run with faults: reconnects and sends again across outages; the connections report through it. */
    Outages outages() {
        return new Outages(this, this, oracle, writer, reads.confirming(devices), figures, scenario.seed(), devices);
    }

    /** The connections this run drives; they report to this run. */
    void attach(DeviceConnections clients) {
        this.clients = clients;
        envelopes.attach(clients);
        clients.acknowledgeReceipts();
        barrier = new EndBarrier(slots, devices, oracle, device -> state.is(device, ONLINE), clients);
        wakes.attach(clients.loop(), this);
    }

    /** The phones in the background: the push listener goes to {@link PushWakes#pushed}. */
    PushWakes wakes() {
        return wakes;
    }

    @Override
    public int wake(int device) {
        if (state.is(device, OFFLINE) && connecting < MAX_CONNECTING) {
            login(device, (System.nanoTime() - scheduleStartNs) / 1_000_000);
            return PushWakes.CONNECTING;
        }
        return state.is(device, ONLINE) ? PushWakes.ONLINE : PushWakes.BETWEEN;
    }

    /** Completes once the devices online at the start are connected and welcomed. */
    CompletableFuture<Void> welcomed() {
        return welcomed;
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    SecondSeries.Progress progress() {
        return seconds.progress();
    }

    int initiallyOnline() {
        return churn.initiallyOnline();
    }

    /** Starts the churn schedule: the devices online at the start connect now, the others at their first login. */
    void connect(EventLoop loop) {
        this.loop = loop;
        loop.execute(() -> {
            scheduleStartNs = System.nanoTime();
            ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
        });
    }

    /**
     * After {@link #welcomed()}, before the workload: each group's creator, from its device 1 (logged in for it if
     * offline), creates it, {@link GroupCreation#MAX_CREATING} at a time at most; churn waits. Completes when all exist.
     */
    CompletableFuture<Void> createGroups(EventLoop loop) {
        loop.execute(creation::start);
        return creation.finished();
    }

    /** After {@link #createGroups}, with {@code sessions: established}: {@link Envelopes#establish}; churn waits. */
    CompletableFuture<Void> establishSessions(EventLoop loop) {
        return CompletableFuture.supplyAsync(() -> envelopes.establish(contacts), loop)
                .thenCompose(done -> done);
    }

    @Override
    public boolean online(int device, long nowMs) {
        if (state.is(device, OFFLINE) && connecting < MAX_CONNECTING && !wakes.background(device)) {
            login(device, nowMs);
        }
        return state.is(device, ONLINE);
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
        int device = state.firstOnline(user);
        if (device < 0) {
            online(slots.slot(user, 1), nowMs);
        }
        return device;
    }

    /** Starts the workload after {@link #createGroups}: warm-up, the measured window, then the drain. */
    void start(EventLoop loop) {
        loop.execute(() -> {
            long now = System.nanoTime();
            long measureStartNs = now + scenario.warmup().toNanos();
            endNs = measureStartNs + scenario.duration().toNanos();
            drain.set(endNs, endNs + scenario.drain().toNanos());
            figures.set(measureStartNs, endNs);
            window.set(measureStartNs, endNs);
            arrivals.start(now);
            seconds.start(now);
            startNs = now;
            costs.start(clients, envelopes);
            changes.start(now);
        });
    }

    private void tick() {
        long now = System.nanoTime();
        long nowMs = (now - scheduleStartNs) / 1_000_000;
        if (creation.active()) {
            creation.sendDue(this, nowMs);
        } else if (!envelopes.establishing()) {
            churn(nowMs);
            wakes.idleDue(nowMs, drain.draining());
        }
        reads.due(nowMs);
        if (startNs != 0) {
            if (seconds.due(now)) {
                closeSecond(now);
            }
            changes.sendDue(now, endNs, nowMs, this);
            window.at(now);
            // Arrivals due before the end go even when the first tick after it finds them (a late tick): the same seed
            // sends the same messages however busy the loop was.
            arrivals.due(clients, now, endNs);
            if (now >= endNs) {
                drain(now);
            }
        }
        clients.flushWritten();
    }

    private void drain(long now) {
        long nowMs = (now - scheduleStartNs) / 1_000_000;
        if (drain.over(now, device -> bringOnline(device, nowMs, false), device -> bringOnline(device, nowMs, true))) {
            closeSecond(now);
            ticker.cancel(false);
            if (drain.settled()) {
                finished.complete(null);
            } else {
                reads.stop();
                barrier.start(loop, () -> finished.complete(null));
            }
        }
    }

    /**
     * The drain brings online a device a message waits on, or ({@code forReceipt}) an ack or receipt: a phone in the
     * background only for a receipt, since nothing pushes for those (its user opens the app at the end to see them).
     */
    private void bringOnline(int device, long nowMs, boolean forReceipt) {
        if (state.is(device, OFFLINE) && (forReceipt ? wakes.openedByUser(device) : !wakes.background(device))) {
            churn.add(nowMs, device);
        }
    }

    /** Logins and logouts due by {@code nowMs}, at most {@link #MAX_CONNECTING} handshakes at a time. */
    private void churn(long nowMs) {
        while (connecting < MAX_CONNECTING && churn.due(nowMs)) {
            long atMs = churn.nextDeadlineMs();
            int device = churn.poll();
            switch (state.of(device)) {
                case OFFLINE -> login(device, atMs);
                case ONLINE -> {
                    if (!drain.draining()) {
                        logout(device, atMs);
                    }
                }
                case CONNECTING, LEAVING, CLOSING -> {
                    // Between two states (a session shorter than its handshake, a login before the last close
                    // finished): try again shortly. During the drain a connecting user is where it should be.
                    if (!drain.draining() || !state.is(device, CONNECTING)) {
                        churn.add(nowMs + RETRY_MS, device);
                    }
                }
                default -> throw new IllegalStateException("device state " + state.of(device));
            }
        }
    }

    /** The user's first device (by number) that can write now, or -1. */
    @Override
    public int writableDevice(int user) {
        return state.firstWritable(user);
    }

    private void login(int device, long atMs) {
        state.set(device, CONNECTING);
        connecting++;
        clients.connect(device);
        if (churn.churns() && !drain.draining() && !wakes.background(device)) {
            churn.add(churn.afterSession(device, atMs), device);
        }
    }

    @Override
    public void logout(int device, long atMs) {
        senders.remove(device);
        if (!wakes.background(device)) {
            churn.add(churn.afterGap(device, atMs), device);
        }
        if (inFlight[device] == 0) {
            close(device);
        } else {
            state.set(device, LEAVING);
        }
    }

    private void close(int device) {
        state.set(device, CLOSING);
        clients.close(device);
    }

    private void closeSecond(long now) {
        seconds.publish(now, oracle.progress(), senders.size());
    }

    @Override
    public void onFrame(int me, Frame frame) {
        if (barrier.passed()) {
            // A drain that did not settle passed its barrier: the oracle no longer changes.
            return;
        }
        long now = System.nanoTime();
        switch (frame.type()) {
            case WELCOME -> {
                welcome(me);
                envelopes.onFrame(me, frame);
            }
            case ACK -> {
                if (envelopes.answered(me, frame.id())) {
                    return;
                }
                int index = oracle.indexOf(me, frame.id());
                if (index >= 0) {
                    oracle.acked(index);
                    changes.answeredMessage(oracle, index);
                    figures.acked(index, now);
                    answered(me);
                }
            }
            case MSG -> onMsg(me, frame, now);
            case RECEIPT -> deliveries.receipt(me, frame, now);
            case RESULT -> {
                try {
                    if (changes.owns(frame.req())) {
                        changes.result(frame);
                        answered(me);
                    } else {
                        creation.result(frame);
                    }
                } catch (IllegalStateException refused) {
                    fail(refused);
                }
            }
            case GROUP_EVENT -> changes.eventReceived();
            case PRESENCE -> presenceCounts.presenceReceived += barrier.answered(me, frame.user()) ? 0 : 1;
            case TYPING -> presenceCounts.typingReceived++;
            case ERROR -> {
                if (frame.hasId() && envelopes.refused(me, frame)) {
                    return;
                }
                int index = frame.hasId() ? oracle.indexOf(me, frame.id()) : -1;
                if (index >= 0 && frame.retryAfterMs() > 0) {
                    // unavailable or rate-limited: refused for now, and the device waits as it was asked
                    oracle.refused(index);
                    arrivals.backOff(me, now, frame.retryAfterMs());
                    changes.answeredMessage(oracle, index);
                    answered(me);
                } else if (index >= 0) {
                    oracle.rejected(index, frame.code().wireName());
                    changes.answeredMessage(oracle, index);
                    answered(me);
                }
            }
            default -> envelopes.onFrame(me, frame); // keys.low; pong and anything newer are not part of this workload
        }
    }

    private void welcome(int me) {
        if (!state.is(me, CONNECTING)) {
            return;
        }
        state.set(me, ONLINE);
        connecting--;
        senders.add(me);
        long now = System.nanoTime();
        deliveries.welcomed(me, now, (now - scheduleStartNs) / 1_000_000);
        seqs.sessionStarted(me);
        subscriptions.subscribe(me, clients);
        if (++welcomes == churn.initiallyOnline()) {
            welcomed.complete(null);
        }
    }

    /** A send was acknowledged or refused; a leaving session closes after its last one. */
    private void answered(int me) {
        if (--inFlight[me] == 0 && state.is(me, LEAVING)) {
            if (drain.draining()) {
                state.set(me, ONLINE);
                senders.add(me);
            } else {
                close(me);
            }
        }
    }

    private void onMsg(int me, Frame frame, long now) {
        if (state.is(me, CLOSING)) {
            // This client said goodbye: a recv or read written now would follow its close frame and be dropped, so
            // it takes no message any more. The server redelivers it on the next session, where it counts; like a
            // message sent to an offline user, it then waited for a login and is not timed.
            return;
        }
        deliveries.delivered(me, frame, now, (now - scheduleStartNs) / 1_000_000);
        recv(frame, me);
    }

    private void recv(Frame frame, int me) {
        if (!barrier.started()) {
            clients.write(me, clients.outFrame().reset(FrameType.RECV).seq(frame.seq()));
        }
    }

    @Override
    public void onClosed(int device) {
        byte was = state.of(device);
        state.set(device, OFFLINE);
        if (was == CLOSING || finished.isDone() || barrier.started()) {
            return;
        }
        // The server closed a session this client did not end. Without churn that fails the run, as it always did;
        // with churn the device comes back at its next scheduled login, and its unacknowledged sends stay unanswered.
        if (!churn.churns() && scenario.faults().isEmpty()) {
            fail(new IllegalStateException("connection of user " + slots.userId(slots.user(device)) + " device "
                    + slots.device(device) + " closed"));
        }
        connecting -= was == CONNECTING ? 1 : 0;
        if (creation.active()) {
            creation.closed(device);
        }
        changes.closed(device);
        if (inFlight[device] > 0 && scenario.groups().changesPerSecond() > 0) {
            // Its unanswered group messages will never be answered: their groups must not wait for them to change.
            oracle.forEachUnansweredGroupMessage(device, changes::answered);
        }
        senders.remove(device);
        inFlight[device] = scenario.faults().isEmpty() ? 0 : inFlight[device]; // with faults, all are sent again
    }

    @Override
    public void onError(int device, Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        welcomed.completeExceptionally(cause);
        finished.completeExceptionally(cause);
    }

    /**
     * Of what the oracle misses after a drain that did not settle, what {@code server} still holds; nothing after a
     * settled drain. Call after {@link #finished()}, off the client event loop.
     */
    HeldAtEnd heldAtEnd(SwitchboardServer server) throws InterruptedException {
        return drain.settled() ? HeldAtEnd.NOTHING : HeldAtEnd.ask(server, oracle, slots, barrier);
    }

    /** Stops the clients' key maker, if they have one; after the run, whatever its end. */
    void close() {
        envelopes.close();
    }

    /** The run's measurements; call on the client event loop after {@link #finished()}. */
    RunOutcome outcome(HeapCensus heap, ServerFigures server, HeldAtEnd held, List<Outages.Outage> outages) {
        deliveries.settle();
        return new RunOutcome(
                oracle.counts(),
                held,
                figures.sent,
                figures.sentToOffline,
                figures.acked,
                figures.delivered,
                figures.deliveriesInWindow,
                figures.send2deliver.copy(),
                figures.send2ack.copy(),
                figures.send2receipt.copy(),
                figures.sendLag.copy(),
                seconds.histograms(),
                seconds.rows(),
                scenario.duration().toMillis() / 1000.0,
                drain.seconds(),
                drain.settled(),
                heap,
                RunOutcome.GroupFigures.of(groups, scenario.groups().changesPerSecond() > 0 ? changes : null),
                presenceCounts,
                clients.receiptsSentAgain(),
                server.counters(),
                server.gc(),
                server.resources(),
                outages,
                costs.figures(scenario, oracle.counts().sent(), clients, envelopes),
                PhoneFigures.of(wakes, media, oracle.counts().sent()),
                windowCosts.figures());
    }
}
