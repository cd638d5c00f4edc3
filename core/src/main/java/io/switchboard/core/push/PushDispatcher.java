package io.switchboard.core.push;

import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.push.PushMetrics.Failure;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Between the owners and the push platforms. An owner hands a push as a 20-byte event into a bounded ring ({@link
 * #offer}, never blocking: a full ring refuses the push, and the owner counts it dropped, since pushes are best effort); this agent, on a
 * thread of its own, looks up the device's registration, sends through its platform's provider, and handles the answer:
 * an invalid token removes the registration, a platform that is down or silent past {@code timeoutMs} is tried again
 * after {@code retryBaseMs}, doubling each time, up to {@code maxAttempts} tries. A device that has connected by the
 * time of a try is not pushed. Retries, timeouts and answers are all this thread's state; providers' threads only hand
 * answers back through a bounded queue.
 *
 * <pre>
 *   event:  0        8        12              20
 *           | user   | device | handed (nanoTime) |
 * </pre>
 */
public final class PushDispatcher implements Agent, PushTrigger {
    /** 2,048 events of 32 bytes (with the ring's header): far more devices going offline at once than a burst holds. */
    static final int RING_BYTES = 64 * 1024;
    /** Tries waiting for an answer at once; past it new pushes are dropped (a platform that is slow, not down). */
    static final int MAX_IN_FLIGHT = 4096;

    private static final int PUSH = 1;
    private static final int USER_AT = 0;
    private static final int DEVICE_AT = 8;
    private static final int HANDED_AT = 12;
    private static final int EVENT_BYTES = 20;
    private static final int EVENTS_PER_WORK = 256;
    /** A retry waits at most this long, however many tries came before. */
    private static final long MAX_BACKOFF_NS = TimeUnit.MINUTES.toNanos(5);

    private final ManyToOneRingBuffer ring;
    private final PushTargets targets;
    private final PushProvider[] providers = new PushProvider[PushPlatform.values().length];
    private final PushMetrics metrics;
    private final long retryBaseNs;
    private final int maxAttempts;
    private final long timeoutNs;
    /** Answers from the providers' threads; twice the tries in flight, so that late answers of timed-out ones fit. */
    private final ManyToOneConcurrentArrayQueue<Attempt> answered =
            new ManyToOneConcurrentArrayQueue<>(2 * MAX_IN_FLIGHT);
    /** Tries sent, oldest first: their deadlines come in the same order. */
    private final ArrayDeque<Attempt> inFlight = new ArrayDeque<>();

    private final PriorityQueue<Attempt> retries = new PriorityQueue<>((a, b) -> Long.compare(a.dueNs - b.dueNs, 0));
    private final MessageHandler onEvent = this::onEvent;
    private int waiting;

    PushDispatcher(PushTargets targets, PushMetrics metrics, long retryBaseMs, int maxAttempts, long timeoutMs) {
        this.ring = new ManyToOneRingBuffer(
                new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        this.targets = targets;
        this.metrics = metrics;
        this.retryBaseNs = TimeUnit.MILLISECONDS.toNanos(retryBaseMs);
        this.maxAttempts = maxAttempts;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /** Pushes to {@code platform} go through {@code provider}; call before the agent starts. */
    void provider(PushPlatform platform, PushProvider provider) {
        providers[platform.ordinal()] = provider;
    }

    @Override
    public boolean registered(long user, int device) {
        return targets.registered(user, device);
    }

    @Override
    public boolean offer(long user, int device) {
        int index = ring.tryClaim(PUSH, EVENT_BYTES);
        if (index < 0) {
            return false;
        }
        AtomicBuffer buffer = ring.buffer();
        buffer.putLong(index + USER_AT, user);
        buffer.putInt(index + DEVICE_AT, device);
        buffer.putLong(index + HANDED_AT, System.nanoTime());
        ring.commit(index);
        return true;
    }

    @Override
    public int doWork() {
        int work = ring.read(onEvent, EVENTS_PER_WORK);
        for (Attempt attempt; (attempt = answered.poll()) != null; work++) {
            answer(attempt);
        }
        long nowNs = System.nanoTime();
        work += timeOut(nowNs);
        for (Attempt due; (due = retries.peek()) != null && due.dueNs - nowNs <= 0; work++) {
            retries.poll();
            metrics.retried();
            send(due.user, due.device, due.handedNs, due.tries);
        }
        return work;
    }

    private void onEvent(int type, MutableDirectBuffer buffer, int index, int length) {
        send(buffer.getLong(index + USER_AT), buffer.getInt(index + DEVICE_AT), buffer.getLong(index + HANDED_AT), 0);
    }

    /** Try number {@code tries + 1} of a push, unless the device has no registration or is connected by now. */
    private void send(long user, int device, long handedNs, int tries) {
        PushRegistration target = targets.target(user, device);
        if (target == null) {
            return;
        }
        PushProvider provider = providers[target.platform().ordinal()];
        if (provider == null) {
            metrics.failed(Failure.DISABLED);
            return;
        }
        if (waiting >= MAX_IN_FLIGHT) {
            metrics.failed(Failure.OVERLOADED);
            return;
        }
        Attempt attempt = new Attempt(user, device, target, handedNs, tries + 1, System.nanoTime() + timeoutNs);
        waiting++;
        inFlight.addLast(attempt);
        try {
            provider.send(user, device, target.token()).whenComplete((outcome, failure) -> {
                attempt.outcome = failure == null ? outcome : PushOutcome.RETRY;
                // Full only with answers of tries already timed out and counted: dropping one loses nothing.
                answered.offer(attempt);
            });
        } catch (RuntimeException e) {
            attempt.outcome = PushOutcome.RETRY;
            answered.offer(attempt);
        }
    }

    private void answer(Attempt attempt) {
        if (attempt.settled) {
            return;
        }
        settle(attempt);
        switch (attempt.outcome) {
            case SENT -> metrics.sent(attempt.target.platform(), attempt.handedNs, System.nanoTime());
            case UNREGISTERED -> {
                metrics.failed(Failure.UNREGISTERED);
                targets.invalid(attempt.user, attempt.device, attempt.target.token());
            }
            case REJECTED -> metrics.failed(Failure.REJECTED);
            case RETRY -> retryLater(attempt);
        }
    }

    /** Tries that had no answer by their deadline are taken as a platform down, and retried. */
    private int timeOut(long nowNs) {
        int work = 0;
        for (Attempt oldest; (oldest = inFlight.peekFirst()) != null; ) {
            if (oldest.settled) {
                inFlight.pollFirst();
            } else if (oldest.deadlineNs - nowNs <= 0) {
                inFlight.pollFirst();
                settle(oldest);
                retryLater(oldest);
                work++;
            } else {
                break;
            }
        }
        return work;
    }

    private void settle(Attempt attempt) {
        attempt.settled = true;
        waiting--;
    }

    private void retryLater(Attempt attempt) {
        if (attempt.tries >= maxAttempts) {
            metrics.failed(Failure.GAVE_UP);
            return;
        }
        long backoffNs = Math.min(MAX_BACKOFF_NS, retryBaseNs << Math.min(attempt.tries - 1, 30));
        attempt.dueNs = System.nanoTime() + backoffNs;
        retries.add(attempt);
    }

    /** Closes the providers; the agent's runner has stopped calling {@link #doWork}. */
    @Override
    public void onClose() {
        for (PushProvider provider : providers) {
            if (provider != null) {
                provider.close();
            }
        }
    }

    @Override
    public String roleName() {
        return "switchboard-push";
    }

    /** One try of one push. The answer fields are written by a provider's thread before the queue hands it over. */
    private static final class Attempt {
        final long user;
        final int device;
        final PushRegistration target;
        final long handedNs;
        final int tries;
        final long deadlineNs;
        long dueNs;
        PushOutcome outcome;
        boolean settled;

        Attempt(long user, int device, PushRegistration target, long handedNs, int tries, long deadlineNs) {
            this.user = user;
            this.device = device;
            this.target = target;
            this.handedNs = handedNs;
            this.tries = tries;
            this.deadlineNs = deadlineNs;
        }
    }
}
