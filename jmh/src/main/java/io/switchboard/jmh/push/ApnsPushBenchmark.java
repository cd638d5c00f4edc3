package io.switchboard.jmh.push;

import com.eatthepath.pushy.apns.server.AcceptAllPushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.switchboard.core.config.PushContext;
import io.switchboard.core.push.ApnsProvider;
import io.switchboard.core.push.PushOutcome;
import io.switchboard.jmh.BenchmarkBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Question: how many pushes per second does the server's APNs provider get through, and how long does one take? The
 * provider is the server's own ({@link ApnsProvider}: Pushy's client with a {@code .p8} signing key, one HTTP/2
 * connection over TLS, the background push the server sends), against Pushy's {@link MockApnsServer} over TLS on
 * loopback, which accepts every push without checking it, so that its own work on these two cores stays small.
 * {@code inFlight}: pushes/s with 256 in flight at once, as a dispatcher with a backlog sends them; {@code oneAtATime}:
 * the round trip of one push on an idle connection (sample mode: its percentiles). Apple's own servers, a network
 * between, and its rate limits are not in these figures.
 */
@State(Scope.Benchmark)
public class ApnsPushBenchmark extends BenchmarkBase {
    private static final int IN_FLIGHT = 256;
    private static final String TEAM = "TEAM123456";
    private static final String KEY_ID = "KEY1234567";
    private static final String TOPIC = "io.switchboard.bench";
    private static final String DEVICE_TOKEN = "ab".repeat(32);

    private Path directory;
    private SelfSignedCertificate certificate;
    private MockApnsServer apns;
    private ApnsProvider provider;
    private final CompletableFuture<?>[] pushes = new CompletableFuture<?>[IN_FLIGHT];

    @Setup(Level.Trial)
    public void start() throws Exception {
        directory = Files.createTempDirectory("apns-bench");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Path key = directory.resolve("AuthKey.p8");
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(
                                        generator.generateKeyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        certificate = new SelfSignedCertificate("localhost");
        apns = new MockApnsServerBuilder()
                .setServerCredentials(certificate.certificate(), certificate.privateKey(), null)
                .setHandlerFactory(new AcceptAllPushNotificationHandlerFactory())
                .build();
        int port = apns.start(0).get();
        provider = new ApnsProvider(new PushContext.Apns(
                "localhost",
                port,
                TEAM,
                KEY_ID,
                key,
                TOPIC,
                certificate.certificate().toPath()));
        // The connection and its TLS handshake are made by the first push, not measured.
        oneAtATime();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        provider.close();
        apns.shutdown().get();
        certificate.delete();
        deleteDirectory(directory);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(IN_FLIGHT)
    public void inFlight() {
        for (int i = 0; i < IN_FLIGHT; i++) {
            pushes[i] = provider.send(1, 1, DEVICE_TOKEN).thenAccept(ApnsPushBenchmark::sent);
        }
        CompletableFuture.allOf(pushes).join();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public PushOutcome oneAtATime() {
        PushOutcome outcome = provider.send(1, 1, DEVICE_TOKEN).join();
        sent(outcome);
        return outcome;
    }

    /** A push the mock did not accept would make a fast figure of failures: fail the run instead. */
    private static void sent(PushOutcome outcome) {
        if (outcome != PushOutcome.SENT) {
            throw new IllegalStateException("the mock APNs answered " + outcome);
        }
    }
}
