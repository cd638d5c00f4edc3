package io.switchboard.core.push;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.switchboard.core.config.PushContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * APNs through Pushy: HTTP/2 over TLS, authenticated with the team's {@code .p8} signing key (a JWT that Pushy signs
 * and renews). Each push is a background push, {@code {"aps":{"content-available":1}}} at priority 5 as Apple requires
 * for it, with one collapse id, so that APNs keeps only the latest for a device it cannot reach: it says nothing but
 * "connect". Thread-safe. Public for the benchmark that measures it (jmh's {@code ApnsPushBenchmark}).
 */
public final class ApnsProvider implements PushProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ApnsProvider.class);
    private static final String PAYLOAD = "{\"aps\":{\"content-available\":1}}";
    private static final String COLLAPSE_ID = "switchboard";
    /** APNs keeps an undelivered push this long; a device offline for longer connects on its own anyway. */
    private static final long EXPIRY_SECONDS = TimeUnit.DAYS.toSeconds(1);
    /** Reasons that say the token will never work again (apple's "Handling notification responses from APNs"). */
    private static final Set<String> INVALID_TOKEN = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic");

    private static final int GONE = 410;
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int SERVER_ERROR = 500;

    private final ApnsClient client;
    private final String topic;

    public ApnsProvider(PushContext.Apns apns) {
        this.topic = apns.topic();
        try {
            ApnsClientBuilder builder = new ApnsClientBuilder()
                    .setApnsServer(apns.host(), apns.port())
                    .setSigningKey(
                            ApnsSigningKey.loadFromPkcs8File(apns.keyPath().toFile(), apns.teamId(), apns.keyId()));
            if (apns.trustedCertificates() != null) {
                builder.setTrustedServerCertificateChain(
                        apns.trustedCertificates().toFile());
            }
            this.client = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the APNs signing key " + apns.keyPath(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an APNs signing key (.p8): " + apns.keyPath(), e);
        }
    }

    @Override
    public CompletableFuture<PushOutcome> send(long user, int device, String token) {
        SimpleApnsPushNotification push = new SimpleApnsPushNotification(
                token,
                topic,
                PAYLOAD,
                Instant.now().plusSeconds(EXPIRY_SECONDS),
                DeliveryPriority.CONSERVE_POWER,
                PushType.BACKGROUND,
                COLLAPSE_ID);
        return client.sendNotification(push).thenApply(ApnsProvider::outcome);
    }

    static PushOutcome outcome(PushNotificationResponse<?> response) {
        if (response.isAccepted()) {
            return PushOutcome.SENT;
        }
        String reason = response.getRejectionReason().orElse("");
        int status = response.getStatusCode();
        if (status == GONE || INVALID_TOKEN.contains(reason)) {
            return PushOutcome.UNREGISTERED;
        }
        if (status == TOO_MANY_REQUESTS || status >= SERVER_ERROR || "ExpiredProviderToken".equals(reason)) {
            return PushOutcome.RETRY;
        }
        LOG.warn("APNs refused a push: {} {}", status, reason);
        return PushOutcome.REJECTED;
    }

    @Override
    public void close() {
        client.close().join();
    }
}
