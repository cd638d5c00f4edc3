package io.switchboard.core.push;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.config.PushContext;
import io.switchboard.core.owner.PushTrigger;
import java.time.Duration;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push side of the server: the providers its configuration turns on, and the dispatcher between them and the
 * owners, on its own thread ({@code switchboard-push}). The owners see only its {@link #trigger()}.
 */
public final class PushService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushService.class);
    /** An idle dispatcher sleeps this long between looks at its ring: a push waits at most this for its thread. */
    private static final long IDLE_SLEEP_MS = 1;

    private final PushDispatcher dispatcher;
    private final SimPushProvider sim;
    private final AgentRunner runner;

    private PushService(PushDispatcher dispatcher, SimPushProvider sim) {
        this.dispatcher = dispatcher;
        this.sim = sim;
        this.runner = new AgentRunner(
                new SleepingMillisIdleStrategy(IDLE_SLEEP_MS),
                error -> LOG.error("push dispatcher", error),
                null,
                dispatcher);
    }

    /** Builds the configured providers (reading their keys: a bad one stops the start) and starts the dispatcher. */
    public static PushService start(PushContext context, PushTargets targets, MeterRegistry registry) {
        PushDispatcher dispatcher = new PushDispatcher(
                targets, new PushMetrics(registry), context.retryBaseMs(), context.maxAttempts(), context.timeoutMs());
        SimPushProvider sim = context.sim() ? new SimPushProvider() : null;
        try {
            if (sim != null) {
                dispatcher.provider(PushPlatform.SIM, sim);
            }
            if (context.apns() != null) {
                dispatcher.provider(PushPlatform.APNS, new ApnsProvider(context.apns()));
            }
            if (context.fcm() != null) {
                dispatcher.provider(
                        PushPlatform.FCM, new FcmProvider(context.fcm(), Duration.ofMillis(context.timeoutMs())));
            }
        } catch (RuntimeException e) {
            dispatcher.onClose();
            throw e;
        }
        PushService service = new PushService(dispatcher, sim);
        AgentRunner.startOnThread(service.runner);
        return service;
    }

    /** What the owners hand pushes to. */
    public PushTrigger trigger() {
        return dispatcher;
    }

    /** The in-process platform the simulator listens on; null when {@code push.sim.enabled} is off. */
    public SimPushProvider sim() {
        return sim;
    }

    /** Stops the dispatcher and closes the providers; pushes not yet sent are dropped (best effort). */
    @Override
    public void close() {
        runner.close();
    }
}
