package io.switchboard.core.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.core.metrics.ServerMetrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The push dispatcher's meters: pushes sent by platform, failed by reason, retries, and the latency from the owner's
 * hand-off to the platform's acceptance (what the owners count, requested, collapsed and dropped, is in their own
 * counters). Every meter is made here, at start. Thread-safe.
 */
final class PushMetrics {
    static final String PLATFORM_TAG = "platform";
    static final String REASON_TAG = "reason";

    /** Why a push was not delivered to its platform; the {@code reason} tag of {@code switchboard_push_failed_total}. */
    enum Failure {
        /** The platform said the token is no longer valid; the registration was removed. */
        UNREGISTERED("unregistered"),
        /** The platform refused it for another reason. */
        REJECTED("rejected"),
        /** The platform stayed down for every try. */
        GAVE_UP("gave-up"),
        /** As many pushes waited for their platforms' answers as the dispatcher allows: pushes are best effort. */
        OVERLOADED("overloaded"),
        /** The device registered for a platform this server does not push to. */
        DISABLED("disabled");

        final String tag;

        Failure(String tag) {
            this.tag = tag;
        }
    }

    private final Map<PushPlatform, Counter> sent = new EnumMap<>(PushPlatform.class);
    private final Map<Failure, Counter> failed = new EnumMap<>(Failure.class);
    private final Counter retries;
    private final Timer latency;

    PushMetrics(MeterRegistry registry) {
        for (PushPlatform platform : PushPlatform.values()) {
            sent.put(
                    platform,
                    Counter.builder(ServerMetrics.name("push.sent"))
                            .description("pushes a platform accepted")
                            .tag(PLATFORM_TAG, platform.wireName())
                            .register(registry));
        }
        for (Failure failure : Failure.values()) {
            failed.put(
                    failure,
                    Counter.builder(ServerMetrics.name("push.failed"))
                            .description("pushes not delivered to their platform, by reason")
                            .tag(REASON_TAG, failure.tag)
                            .register(registry));
        }
        retries = Counter.builder(ServerMetrics.name("push.retries"))
                .description("tries of a push again after its platform was down or did not answer")
                .register(registry);
        latency = Timer.builder(ServerMetrics.name("push.latency"))
                .description("from the owner's hand-off of a push to its platform's acceptance, retries included")
                .publishPercentileHistogram()
                .register(registry);
    }

    void sent(PushPlatform platform, long handedNs, long nowNs) {
        sent.get(platform).increment();
        latency.record(nowNs - handedNs, TimeUnit.NANOSECONDS);
    }

    void failed(Failure failure) {
        failed.get(failure).increment();
    }

    void retried() {
        retries.increment();
    }
}
