package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.switchboard.core.protocol.Frame;
import io.switchboard.simulator.media.MediaCipher;
import io.switchboard.simulator.media.MediaClient;
import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.scenario.Scenario;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

/**
 * Messages with media ({@code messages.mediaShare}), and the oracle of their blobs. The sender makes the blob (seeded
 * bytes of a seeded log-uniform size), encrypts it ({@link MediaCipher}), uploads the file and, once the server stored
 * it, sends the message: its plaintext ({@link Plaintext}) carries, after the index, send time and digest, the media
 * key and the SHA-256 digests of the file and of the blob's plaintext, sealed by the run's {@link Envelopes} as the rest
 * of it (inside the Signal envelope with {@code encryption: signal}, as WhatsApp does); the frame names the blob
 * ({@code media}), so that the server lets the recipients fetch it. Each recipient device, on its first delivery,
 * opens the envelope, downloads the blob and checks it: the file's digest, then its MAC while decrypting, then the plaintext's digest. A
 * blob that fails any of them is {@code corrupt}; one that cannot be fetched or stored counts as a failure.
 *
 * <p>Transfers are bounded: at most {@link #MAX_TRANSFERS} at once (an arrival beyond that is sent without media,
 * counted {@code skipped}) and at most {@link #MAX_WAITING} downloads waiting (beyond: {@code dropped}). Blobs are made,
 * encrypted, checked and moved on two threads of their own, which report back on the client event loop; everything
 * else runs on that loop.
 */
final class MediaMessages implements AutoCloseable {
    /** Where a stored blob's message is sent from: the arrival side, on the client event loop. */
    interface Sender {
        void sendMedia(DeviceConnections clients, int sender, int recipient, Ref ref);
    }

    /** A stored blob as its message names it: the id and size, and what its body carries. */
    record Ref(String id, long size, byte[] key, byte[] fileDigest, byte[] plainDigest) {}

    /** Where the media key starts in a plaintext: after the index, the intended send time and the digest. */
    static final int BODY_OFFSET = Plaintext.WITH_DIGEST;
    /** A media message's plaintext at least: index, time, digest, key, and the two digests. */
    static final int MIN_BODY_BYTES = BODY_OFFSET + MediaCipher.KEY_BYTES + 2 * MediaCipher.DIGEST_BYTES;

    private static final int MAX_TRANSFERS = 16;
    private static final int MAX_WAITING = 65_536;

    private enum Check {
        VERIFIED,
        CORRUPT
    }

    private record Sealed(byte[] file, byte[] key, byte[] fileDigest, byte[] plainDigest) {}

    private record Done(Sealed sealed, MediaClient.Stored stored, long bytes, long ns, Check check) {}

    private final long seed;
    private final double share;
    private final double logMinBytes;
    private final double logSpan;
    private final int minBytes;
    private final int maxBytes;
    private final DeviceSlots slots;
    private final VirtualClients.Tokens tokens;
    private final EventLoop loop;
    private final ExecutorService executor;
    private final MediaClient client;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int transfers;

    private final Histogram uploadMicros = new Histogram(WindowFigures.MAX_MICROS, 3);
    private final Histogram downloadMicros = new Histogram(WindowFigures.MAX_MICROS, 3);
    private long uploadBytes;
    private long uploadNs;
    private long downloadBytes;
    private long downloadNs;
    private long storedBytes;
    private long uploadFailures;
    private long skipped;
    private long unsent;
    private long verified;
    private long corrupt;
    private long downloadFailures;
    private long dropped;

    /** @param http the server's HTTP address; unused (nothing started) when the scenario has no media */
    MediaMessages(Scenario scenario, DeviceSlots slots, VirtualClients.Tokens tokens, EventLoop loop, URI http) {
        Scenario.Messages messages = scenario.messages();
        this.seed = scenario.seed();
        this.share = messages.mediaShare();
        this.minBytes = messages.mediaBytes();
        this.maxBytes = messages.maxMediaBytes();
        this.logMinBytes = Math.log(minBytes);
        this.logSpan = Math.log(maxBytes + 1.0) - logMinBytes;
        this.slots = slots;
        this.tokens = tokens;
        this.loop = loop;
        this.executor = share > 0
                ? Executors.newFixedThreadPool(2, runnable -> {
                    Thread thread = new Thread(runnable, "switchboard-media");
                    thread.setDaemon(true);
                    return thread;
                })
                : null;
        this.client = share > 0 ? new MediaClient(http, executor) : null;
    }

    /** For a run without media (a server process: the loader refuses {@code messages.mediaShare} there). */
    static MediaMessages none(Scenario scenario) {
        if (scenario.messages().mediaShare() > 0) {
            throw new IllegalArgumentException("the scenario sends media");
        }
        return new MediaMessages(scenario, null, null, null, null);
    }

    boolean enabled() {
        return share > 0;
    }

    /** Whether arrival {@code arrival} carries media: a function of the seed and the arrival's number alone. */
    boolean carries(long arrival) {
        return share > 0 && Mix.unitInterval(seed + 7L * arrival) < share;
    }

    /**
     * Starts the upload of arrival {@code arrival}'s blob from {@code sender}; once it is stored, {@code then} sends its
     * message to {@code recipient}. False when too many transfers are under way: the arrival goes without media.
     */
    boolean upload(DeviceConnections clients, int sender, int recipient, long arrival, Sender then) {
        if (transfers >= MAX_TRANSFERS) {
            skipped++;
            return false;
        }
        transfers++;
        int size = size(arrival);
        String token = token(sender);
        CompletableFuture.supplyAsync(() -> seal(arrival, size), executor)
                .thenCompose(blob -> {
                    long start = System.nanoTime();
                    return client.upload(token, blob.file())
                            .thenApply(stored ->
                                    new Done(blob, stored, blob.file().length, System.nanoTime() - start, null));
                })
                .whenComplete((done, failure) -> loop.execute(() -> uploaded(clients, sender, recipient, done, then)));
        return true;
    }

    private void uploaded(DeviceConnections clients, int sender, int recipient, Done done, Sender then) {
        finished();
        if (done == null) {
            uploadFailures++;
            return;
        }
        uploadMicros.recordValue(Math.min(WindowFigures.MAX_MICROS, done.ns() / 1000));
        uploadBytes += done.bytes();
        uploadNs += done.ns();
        storedBytes += done.stored().size();
        Sealed sealed = done.sealed();
        then.sendMedia(
                clients,
                sender,
                recipient,
                new Ref(
                        done.stored().id(),
                        done.stored().size(),
                        sealed.key(),
                        sealed.fileDigest(),
                        sealed.plainDigest()));
    }

    /** The sender of a stored blob had left by the time it was stored: its message is not sent. */
    void unsent() {
        unsent++;
    }

    /** Writes the body's media part of {@code ref} at {@link #BODY_OFFSET} of {@code body}. */
    static void writeBody(Ref ref, org.agrona.MutableDirectBuffer body) {
        body.putBytes(BODY_OFFSET, ref.key());
        body.putBytes(BODY_OFFSET + MediaCipher.KEY_BYTES, ref.fileDigest());
        body.putBytes(BODY_OFFSET + MediaCipher.KEY_BYTES + MediaCipher.DIGEST_BYTES, ref.plainDigest());
    }

    /**
     * The plaintext a device needs for the messages of {@code scenario}: as long as its longest body, and room for the
     * media key and digests when it sends media.
     */
    static int maxPlaintextBytes(Scenario scenario) {
        int longest = scenario.messages().maxBodyBytes();
        return scenario.messages().mediaShare() > 0 ? Math.max(longest, MIN_BODY_BYTES) : longest;
    }

    /**
     * A first delivery of {@code frame} to {@code device}, its envelope opened to {@code body[0, length)}: when the
     * frame names a blob, the device fetches it and checks it against what the plaintext says.
     */
    void delivered(int device, Frame frame, DirectBuffer body, int length) {
        if (client == null || frame.mediaId().isEmpty() || length < 0) {
            return; // no media, or an envelope opened before on this device: its blob was fetched then
        }
        if (length < MIN_BODY_BYTES) {
            corrupt++; // names a blob but carries no key for it
            return;
        }
        int at = BODY_OFFSET;
        byte[] key = new byte[MediaCipher.KEY_BYTES];
        byte[] fileDigest = new byte[MediaCipher.DIGEST_BYTES];
        byte[] plainDigest = new byte[MediaCipher.DIGEST_BYTES];
        body.getBytes(at, key);
        body.getBytes(at + key.length, fileDigest);
        body.getBytes(at + key.length + fileDigest.length, plainDigest);
        Ref ref = new Ref(frame.mediaId().toString(), frame.mediaSize(), key, fileDigest, plainDigest);
        String token = token(device);
        if (transfers < MAX_TRANSFERS) {
            download(token, ref);
        } else if (waiting.size() < MAX_WAITING) {
            waiting.add(() -> download(token, ref));
        } else {
            dropped++;
        }
    }

    private void download(String token, Ref ref) {
        transfers++;
        long start = System.nanoTime();
        client.download(token, ref.id())
                .thenApply(file -> new Done(null, null, file.length, System.nanoTime() - start, check(file, ref)))
                .whenComplete((done, failure) -> loop.execute(() -> downloaded(done)));
    }

    /** The download's checks, in the order a client must make them: the file, its MAC, then the plaintext. */
    private static Check check(byte[] file, Ref ref) {
        try {
            if (!MessageDigest.isEqual(MediaCipher.sha256(file), ref.fileDigest())) {
                return Check.CORRUPT;
            }
            byte[] plaintext = MediaCipher.open(ref.key(), file);
            return MessageDigest.isEqual(MediaCipher.sha256(plaintext), ref.plainDigest())
                    ? Check.VERIFIED
                    : Check.CORRUPT;
        } catch (GeneralSecurityException e) {
            return Check.CORRUPT;
        }
    }

    private void downloaded(Done done) {
        finished();
        if (done == null) {
            downloadFailures++;
            return;
        }
        downloadMicros.recordValue(Math.min(WindowFigures.MAX_MICROS, done.ns() / 1000));
        downloadBytes += done.bytes();
        downloadNs += done.ns();
        if (done.check() == Check.VERIFIED) {
            verified++;
        } else {
            corrupt++;
        }
    }

    /** A transfer ended: the next waiting download may start. */
    private void finished() {
        transfers--;
        Runnable next = waiting.poll();
        if (next != null) {
            next.run();
        }
    }

    /** Whether no transfer is under way or waiting: the drain waits for the checks too. */
    boolean idle() {
        return transfers == 0 && waiting.isEmpty();
    }

    long corrupt() {
        return corrupt;
    }

    long failures() {
        return uploadFailures + downloadFailures + dropped;
    }

    private int size(long arrival) {
        double draw = Mix.unitInterval(seed + 11L * arrival);
        return Math.max(minBytes, Math.min(maxBytes, (int) Math.exp(logMinBytes + draw * logSpan)));
    }

    private Sealed seal(long arrival, int size) {
        SplittableRandom random = new SplittableRandom(seed ^ Mix.mix(arrival));
        byte[] plaintext = new byte[size];
        random.nextBytes(plaintext);
        byte[] key = new byte[MediaCipher.KEY_BYTES];
        random.nextBytes(key);
        try {
            byte[] file = MediaCipher.seal(key, plaintext);
            return new Sealed(file, key, MediaCipher.sha256(file), MediaCipher.sha256(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC and HMAC-SHA256 are in every JDK", e);
        }
    }

    private String token(int device) {
        return tokens.token(slots.userId(slots.user(device)), slots.device(device));
    }

    /** For summary.json: null without media; {@code messagesSent} is every message the run sent. */
    Map<String, Object> toJson(long messagesSent) {
        if (!enabled()) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploads", uploadMicros.getTotalCount());
        json.put("uploadFailures", uploadFailures);
        json.put("skipped", skipped);
        json.put("unsent", unsent);
        json.put("downloads", downloadMicros.getTotalCount());
        json.put("verified", verified);
        json.put("corrupt", corrupt);
        json.put("downloadFailures", downloadFailures);
        json.put("dropped", dropped);
        json.put("uploadMicros", ResultsWriter.percentiles(uploadMicros));
        json.put("downloadMicros", ResultsWriter.percentiles(downloadMicros));
        // Bytes over the time transfers took, summed: the rate one transfer sees, not the link's total.
        json.put("uploadMBps", ResultsWriter.round(uploadNs == 0 ? 0 : uploadBytes * 1e3 / uploadNs));
        json.put("downloadMBps", ResultsWriter.round(downloadNs == 0 ? 0 : downloadBytes * 1e3 / downloadNs));
        json.put("storedBytes", storedBytes);
        json.put("storedBytesPerMessage", messagesSent == 0 ? 0 : storedBytes / messagesSent);
        return json;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
