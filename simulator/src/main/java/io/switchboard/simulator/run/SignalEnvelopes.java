package io.switchboard.simulator.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.e2ee.KeyServer;
import io.switchboard.simulator.e2ee.SignalDevices;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;
import org.signal.libsignal.protocol.message.SignalMessage;

/**
 * {@code encryption: signal}: virtual clients that run the Signal protocol with libsignal, as WhatsApp-like clients do.
 *
 * <ul>
 *   <li><b>First contact.</b> A device that has never sent to a user fetches the user's bundles ({@code GET
 *       /v1/keys/{user}}), builds a session (PQXDH) with each device in it, and from then on encrypts one envelope
 *       per device: {@code pkmsg} until the peer has answered on that session, then {@code msg}. A session the peer
 *       started (its {@code pkmsg} opened here) is used as it is; only devices without one are fetched.
 *   <li><b>Groups.</b> Sender keys: a device's first message to a group, and its first after a member joined, is
 *       preceded by its sender-key distribution message, sent to each member who lacks it as a one-to-one message of
 *       its own over their sessions (under the device's next ids, {@link SendIds#own}); the group message
 *       ({@code skmsg}) goes once every distribution is acknowledged, so that it cannot reach a member before its key.
 *       The sender's own other devices get the key in this process: the one simplification here (docs/e2ee.md).
 *   <li><b>Device changes.</b> A {@code devices} error names devices the sender did not know ({@code missing}: their
 *       bundles are fetched) and devices that went ({@code extra}: dropped); the message goes again with its id.
 *   <li><b>Devices that have met.</b> With {@code sessions: established}, {@link #establish} sets up before the
 *       workload what first messages would: sessions with every contact's and group member's devices, each greeted
 *       over (an empty message, so the peer holds the session too), and sender keys handed to every group.
 *   <li><b>{@code keys.low}.</b> The device makes and uploads {@link #ONE_TIME_KEYS} more one-time keys of each kind
 *       (made off the client loop, as each device would make them on its own CPU).
 * </ul>
 *
 * <p>A device's sends go out in the order the workload made them: a send that waits for keys holds those after it.
 * Each takes its id as it goes on the wire ({@link SendIds}), so a device's ids increase in the order its sends leave
 * it, sender keys before the group message that waits for them. Sends wait only while their device is connected. Client event loop
 * only (the registration uploads are {@link KeyServer#registerAll}'s); answers of the key server come back to it.
 */
final class SignalEnvelopes implements Envelopes {
    /** One-time keys of each kind a device uploads at registration and on {@code keys.low}. */
    static final int ONE_TIME_KEYS = 30;

    private final DeviceSlots slots;
    private final GroupPlan groups;
    private final SignalDevices devices;
    private final KeyServer keys;
    private final SendIds ids;
    private final Consumer<Throwable> failure;
    private DeviceConnections clients;

    /** (device, peer device) pairs, by {@link #pair}, that have a session. */
    private final LongHashSet sessions = new LongHashSet();
    /** (device, user) → the peer's devices as a bit mask (bit d − 1), from its bundles and {@code devices} errors. */
    private final Long2LongHashMap knownDevices = new Long2LongHashMap(-1);
    /** (device, user) bundle fetches on their way. */
    private final LongHashSet fetching = new LongHashSet();
    /** (device, group, member) by {@link #given}: members that have this device's sender key for that group. */
    private final LongHashSet keyGiven = new LongHashSet();
    /** Per device: its sends in order, the first waiting for keys or acks; null while it has none. */
    private final ArrayDeque<Pending>[] queues;
    /** Per device: its sender-key distributions not yet acknowledged. */
    private final int[] awaitingAcks;
    /**
     * One-to-one sends not yet answered, by (device, id) ({@link #sent}: each device numbers its own), to send again
     * after a {@code devices} error.
     */
    private final Long2ObjectHashMap<Pending> unanswered = new Long2ObjectHashMap<>();
    /** Per device: a {@code keys.low} upload is on its way. */
    private final boolean[] refreshing;
    /** Completes once every session and sender key {@link #establish} asked for is in place; null before. */
    private CompletableFuture<Void> established;

    /**
     * Makes one-time keys on {@code keys.low}: each device would make its own on its own CPU, so they are not made on
     * the client loop, which stands for the devices' network and protocol work. One thread: key making is rare.
     */
    private final ExecutorService keyMaker =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("switchboard-client-keys", true));

    /** Client loop time sealing and opening envelopes. */
    private long busyNs;
    /** Client loop time building sessions from bundles (PQXDH). */
    private long sessionNs;
    /** Key maker time making one-time keys. */
    private final AtomicLong keyMakingNs = new AtomicLong();

    private long keyFetches;
    private long keyUploads;

    /**
     * A send as the workload asked for it (message {@code index}), with the blob its frame names (null: none); {@link
     * #establish} queues greetings (an empty plaintext, to a user) and sender-key hand-outs (no plaintext, to a group)
     * the same way, so they wait for keys as a message would. A message takes its id as it goes on the wire ({@link
     * #wireId}); the client's own sends have index -1 and carry theirs ({@link SendIds#own}), taken as they are made:
     * a sender key as it goes, a greeting before the workload's first message.
     */
    private record Pending(
            int sender, int index, long id, int recipient, int group, byte[] plaintext, MediaMessages.Ref blob) {}

    private static final byte[] GREETING = new byte[0];

    @SuppressWarnings("unchecked")
    SignalEnvelopes(
            DeviceSlots slots,
            GroupPlan groups,
            SignalDevices devices,
            KeyServer keys,
            SendIds ids,
            int count,
            Consumer<Throwable> failure) {
        this.slots = slots;
        this.groups = groups;
        this.devices = devices;
        this.keys = keys;
        this.ids = ids;
        this.failure = failure;
        queues = new ArrayDeque[count];
        awaitingAcks = new int[count];
        refreshing = new boolean[count];
    }

    @Override
    public void attach(DeviceConnections clients) {
        this.clients = clients;
    }

    @Override
    public void send(
            int sender,
            int index,
            int recipient,
            int group,
            DirectBuffer plaintext,
            int length,
            MediaMessages.Ref blob) {
        byte[] copy = new byte[length];
        plaintext.getBytes(0, copy);
        queue(new Pending(sender, index, 0, recipient, group, copy, blob));
        pump(sender);
    }

    /** Sends what the device has waiting, in order, until one must wait for keys or acks. */
    private void pump(int sender) {
        ArrayDeque<Pending> queue = queues[sender];
        while (queue != null && !queue.isEmpty() && clients.connected(sender)) {
            Pending next = queue.peekFirst();
            if (!(next.group >= 0 ? readyForGroup(next) : hasSessions(sender, next.recipient))) {
                return;
            }
            queue.pollFirst();
            if (next.plaintext == null) {
                continue; // an establishing hand-out of sender keys: done once they are acknowledged
            }
            if (next.group >= 0) {
                sendToGroup(next);
            } else {
                sendToUser(next);
            }
        }
        if (queue != null && queue.isEmpty()) {
            queues[sender] = null;
        }
        if (establishing() && quiet()) {
            established.complete(null);
        }
    }

    /**
     * {@code sessions: established}: every connected device fetches the bundles of its contacts and of its groups'
     * members, builds a session with each of their devices and greets each over it (an empty message, so that the
     * peer's side of the session exists too), and hands its sender key to each group it is in, all through the key
     * server and the message path a first message takes, under each device's own ids ({@link SendIds#own}).
     */
    @Override
    public CompletableFuture<Void> establish(ContactGraph contacts) {
        established = new CompletableFuture<>();
        for (int device = 0; device < queues.length && !established.isDone(); device++) {
            if (!clients.connected(device)) {
                continue;
            }
            int user = slots.user(device);
            for (int j = 0; j < contacts.perUser(); j++) {
                awaitingAcks[device]++;
                queue(new Pending(device, -1, ids.own(device), contacts.contact(user, j), -1, GREETING, null));
            }
            for (int group = 0; group < groups.count(); group++) {
                if (java.util.Arrays.binarySearch(groups.members(group), user) >= 0) {
                    queue(new Pending(device, -1, 0, -1, group, null, null));
                }
            }
            pump(device);
        }
        if (quiet()) {
            established.complete(null);
        }
        return established;
    }

    @Override
    public boolean establishing() {
        return established != null && !established.isDone();
    }

    /** The id {@code pending} goes under: its message's ({@link SendIds#workload}, kept if sent again), or its own. */
    private long wireId(Pending pending) {
        return pending.index >= 0 ? ids.workload(pending.sender, pending.index) : pending.id;
    }

    private void queue(Pending pending) {
        ArrayDeque<Pending> queue = queues[pending.sender];
        if (queue == null) {
            queue = new ArrayDeque<>(4);
            queues[pending.sender] = queue;
        }
        queue.addLast(pending);
    }

    /** Fails the run, and {@link #establish} if it is under way. */
    private void fail(Throwable cause) {
        failure.accept(cause);
        if (established != null) {
            established.completeExceptionally(cause);
        }
    }

    /** Whether nothing waits: no send queued, no fetch on its way, nothing unacknowledged. */
    private boolean quiet() {
        if (!fetching.isEmpty()) {
            return false;
        }
        for (int device = 0; device < queues.length; device++) {
            if (queues[device] != null || awaitingAcks[device] > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code sender} has a session with every device it knows {@code user} to have; if not, fetches what is
     * missing (every bundle of a user it knows nothing of, else the devices it lacks) unless a fetch is on its way.
     */
    private boolean hasSessions(int sender, int user) {
        long key = pair(sender, user);
        long known = knownDevices.get(key);
        if (known == -1) {
            fetch(sender, user, 0);
            return false;
        }
        boolean ready = true;
        for (int device = 1; device <= slots.devicesPerUser(); device++) {
            if ((known & (1L << (device - 1))) != 0 && !sessions.contains(pair(sender, slots.slot(user, device)))) {
                fetch(sender, user, device);
                ready = false;
            }
        }
        return ready;
    }

    private void fetch(int sender, int user, int device) {
        if (!fetching.add(pair(sender, user))) {
            return;
        }
        keyFetches++;
        keys.fetch(slots.userId(slots.user(sender)), slots.device(sender), slots.userId(user), device)
                .whenComplete(
                        (answer, error) -> clients.loop().execute(() -> fetched(sender, user, device, answer, error)));
    }

    /**
     * A bundle answer (of every device of {@code user}, or of {@code asked}): the devices it names are the ones the user
     * has, and each gets a session if it has none yet; then whatever waited for it goes.
     */
    private void fetched(int sender, int user, int asked, JsonNode answer, Throwable error) {
        fetching.remove(pair(sender, user));
        if (error != null) {
            fail(error);
            return;
        }
        long start = System.nanoTime();
        long key = pair(sender, user);
        long known = asked == 0 ? 0 : Math.max(0, knownDevices.get(key)) & ~(1L << (asked - 1));
        try {
            for (JsonNode bundle : answer.get("devices")) {
                int device = bundle.get("device").asInt();
                known |= 1L << (device - 1);
                int peer = slots.slot(user, device);
                if (!sessions.contains(pair(sender, peer))) {
                    new SessionBuilder(devices.store(sender), devices.address(peer))
                            .process(SignalDevices.bundle(answer, bundle));
                    sessions.add(pair(sender, peer));
                }
            }
        } catch (Exception e) {
            fail(e);
            return;
        }
        knownDevices.put(key, known);
        sessionNs += System.nanoTime() - start;
        pump(sender);
        // An answer comes between the run's ticks, which flush what they wrote: what waited for it goes now.
        clients.flushWritten();
    }

    private void sendToUser(Pending pending) {
        long start = System.nanoTime();
        long id = wireId(pending);
        Frame send = clients.outFrame().reset(FrameType.SEND).id(id).toUser(slots.userId(pending.recipient));
        if (pending.blob != null) {
            send.media(pending.blob.id(), pending.blob.size());
        }
        long known = knownDevices.get(pair(pending.sender, pending.recipient));
        try {
            for (int device = 1; device <= slots.devicesPerUser(); device++) {
                if ((known & (1L << (device - 1))) != 0) {
                    SignalProtocolAddress peer = devices.address(slots.slot(pending.recipient, device));
                    CiphertextMessage sealed =
                            new SessionCipher(devices.store(pending.sender), peer).encrypt(pending.plaintext);
                    send.addEnvelope(
                            device,
                            sealed.getType() == CiphertextMessage.PREKEY_TYPE ? EnvelopeType.PKMSG : EnvelopeType.MSG,
                            sealed.serialize());
                }
            }
        } catch (Exception e) {
            fail(e);
            return;
        }
        busyNs += System.nanoTime() - start;
        unanswered.put(sent(pending.sender, id), pending);
        clients.write(pending.sender, send);
    }

    /**
     * Whether {@code pending} may go: every member has this device's sender key for the group and acknowledged it.
     * Sends the key to members who lack it once sessions with all of them exist.
     */
    private boolean readyForGroup(Pending pending) {
        int sender = pending.sender;
        if (awaitingAcks[sender] > 0) {
            return false;
        }
        int own = slots.user(sender);
        boolean sessionsReady = true;
        for (int member : groups.members(pending.group)) {
            if (member != own && !keyGiven.contains(given(sender, pending.group, member))) {
                sessionsReady &= hasSessions(sender, member);
            }
        }
        if (!sessionsReady) {
            return false;
        }
        long start = System.nanoTime();
        SenderKeyDistributionMessage key = null;
        for (int member : groups.members(pending.group)) {
            if (!keyGiven.add(given(sender, pending.group, member))) {
                continue;
            }
            if (key == null) {
                key = new GroupSessionBuilder(devices.store(sender))
                        .create(devices.address(sender), distribution(sender, pending.group));
            }
            if (member == own) {
                // Simplified: linked devices of one account get each other's sender keys in this process.
                for (int device = 1; device <= slots.devicesPerUser(); device++) {
                    int mine = slots.slot(own, device);
                    if (mine != sender) {
                        new GroupSessionBuilder(devices.store(mine)).process(devices.address(sender), key);
                    }
                }
            } else {
                awaitingAcks[sender]++;
                busyNs += System.nanoTime() - start;
                sendToUser(new Pending(sender, -1, ids.own(sender), member, -1, key.serialize(), null));
                start = System.nanoTime();
            }
        }
        busyNs += System.nanoTime() - start;
        return awaitingAcks[sender] == 0;
    }

    private void sendToGroup(Pending pending) {
        long start = System.nanoTime();
        CiphertextMessage sealed;
        try {
            sealed = new GroupCipher(devices.store(pending.sender), devices.address(pending.sender))
                    .encrypt(distribution(pending.sender, pending.group), pending.plaintext);
        } catch (Exception e) {
            fail(e);
            return;
        }
        busyNs += System.nanoTime() - start;
        clients.write(
                pending.sender,
                clients.outFrame()
                        .reset(FrameType.SEND)
                        .id(wireId(pending))
                        .toGroup(groups.id(pending.group))
                        .addEnvelope(0, EnvelopeType.SKMSG, sealed.serialize()));
    }

    @Override
    public int open(int me, int sender, Frame msg, MutableDirectBuffer into) {
        long start = System.nanoTime();
        byte[] body = msg.envelopeBody(0);
        EnvelopeType type = msg.envelopeType(0);
        byte[] plaintext;
        try {
            SignalProtocolAddress from = devices.address(sender);
            if (type == EnvelopeType.SKMSG) {
                plaintext = new GroupCipher(devices.store(me), from).decrypt(body);
            } else if (type == EnvelopeType.PKMSG) {
                plaintext = new SessionCipher(devices.store(me), from).decrypt(new PreKeySignalMessage(body));
                sessions.add(pair(me, sender));
            } else if (type == EnvelopeType.MSG) {
                plaintext = new SessionCipher(devices.store(me), from).decrypt(new SignalMessage(body));
            } else {
                return UNREADABLE;
            }
            if (ids.isOwn(sender, msg.id())) {
                if (plaintext.length == 0) {
                    return CONTROL; // a greeting (sessions: established): the session it opened is the point
                }
                new GroupSessionBuilder(devices.store(me)).process(from, new SenderKeyDistributionMessage(plaintext));
                return CONTROL;
            }
        } catch (DuplicateMessageException e) {
            return REPEAT;
        } catch (Exception e) {
            return UNREADABLE;
        } finally {
            busyNs += System.nanoTime() - start;
        }
        int length = Math.min(plaintext.length, into.capacity());
        into.putBytes(0, plaintext, 0, length);
        return length;
    }

    @Override
    public boolean refused(int me, Frame error) {
        Pending pending = unanswered.remove(sent(me, error.id()));
        boolean own = ids.isOwn(me, error.id());
        if (pending == null) {
            return own;
        }
        if (error.code() != ErrorCode.DEVICES) {
            if (own) {
                distributed(me);
            }
            return own;
        }
        long key = pair(me, pending.recipient);
        long known = Math.max(0, knownDevices.get(key));
        for (int i = 0; i < error.missing().size(); i++) {
            known |= 1L << (error.missing().getInt(i) - 1);
        }
        for (int i = 0; i < error.extra().size(); i++) {
            int device = error.extra().getInt(i);
            known &= ~(1L << (device - 1));
            sessions.remove(pair(me, slots.slot(pending.recipient, device)));
        }
        knownDevices.put(key, known);
        ArrayDeque<Pending> queue = queues[me];
        if (queue == null) {
            queue = new ArrayDeque<>(4);
            queues[me] = queue;
        }
        // Before anything the device queued since: it goes again with its id, which must stay below theirs. A sender
        // key sent again is still awaited, so the group message behind it keeps waiting for its ack.
        queue.addFirst(pending);
        pump(me);
        return true;
    }

    @Override
    public boolean answered(int me, long id) {
        unanswered.remove(sent(me, id));
        if (!ids.isOwn(me, id)) {
            return false;
        }
        distributed(me);
        return true;
    }

    /** A sender-key distribution of {@code me}'s was answered: a group message may go once all are. */
    private void distributed(int me) {
        if (--awaitingAcks[me] == 0) {
            pump(me);
        }
    }

    @Override
    public void onFrame(int me, Frame frame) {
        if (frame.type() == FrameType.WELCOME) {
            pump(me);
        } else if (frame.type() == FrameType.KEYS_LOW && !refreshing[me]) {
            refreshing[me] = true;
            int first = devices.reserve(me, ONE_TIME_KEYS);
            keyMaker.execute(() -> {
                long start = System.nanoTime();
                SignalDevices.OneTimeKeys made = devices.make(me, first, ONE_TIME_KEYS);
                keyMakingNs.addAndGet(System.nanoTime() - start);
                clients.loop().execute(() -> upload(me, made));
            });
        }
    }

    /** Keeps the private halves of new one-time keys, then uploads the public ones. */
    private void upload(int me, SignalDevices.OneTimeKeys made) {
        devices.keep(made);
        keyUploads++;
        keys.upload(slots.userId(slots.user(me)), slots.device(me), made.upload())
                .whenComplete((answer, error) -> clients.loop().execute(() -> {
                    refreshing[me] = false;
                    if (error != null) {
                        fail(error);
                    }
                }));
    }

    @Override
    public long sessionNs() {
        return sessionNs;
    }

    @Override
    public long keyMakingNs() {
        return keyMakingNs.get();
    }

    @Override
    public void close() {
        keyMaker.shutdownNow();
    }

    @Override
    public long busyNs() {
        return busyNs;
    }

    @Override
    public long keyFetches() {
        return keyFetches;
    }

    @Override
    public long keyUploads() {
        return keyUploads;
    }

    private static long pair(int slot, int other) {
        return ((long) slot << 32) | (other & 0xFFFF_FFFFL);
    }

    /** A send's key in {@link #unanswered}: a device's ids are its own, below 2^31. */
    private static long sent(int device, long id) {
        return ((long) device << 32) | id;
    }

    private long given(int sender, int group, int member) {
        return ((long) sender * groups.count() + group) * (1L << 24) + member;
    }

    /** The distribution id of a device's sender key for a group: one per (device, group). */
    private static UUID distribution(int sender, int group) {
        return new UUID(sender, group);
    }
}
