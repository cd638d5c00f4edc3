package io.switchboard.jmh.accounts;

import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.RegistrationResult;
import io.switchboard.jmh.BenchmarkBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Question: what does a registration flood cost the shard threads, which read the account directory (the recipient's
 * device set) on every send? In one group, three threads register new accounts, each forced to {@code accounts.log}
 * on this disk, while one thread reads device sets across every stripe as a shard does: sample mode gives that read's
 * p99 and maximum beside the registrations' rate. A read waits whenever it meets a stripe whose write lock a
 * registration holds, so the read's tail shows how long a registration holds it.
 */
@State(Scope.Group)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RegistrationFloodBenchmark extends BenchmarkBase {
    /** Users the reader sweeps: registered before the measurement, spread over every stripe. */
    private static final int READ_USERS = 4_096;

    private final AtomicLong nextUser = new AtomicLong(READ_USERS);
    private Path directory;
    private AccountStore accounts;
    private long readUser;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("registration-flood");
        accounts = AccountStore.open(directory);
        accounts.registerAll(1, READ_USERS, 1, user -> "token-" + user);
    }

    @Benchmark
    @Group("flood")
    @GroupThreads(3)
    public RegistrationResult register() {
        return accounts.register(nextUser.incrementAndGet(), 1, null);
    }

    @Benchmark
    @Group("flood")
    @GroupThreads(1)
    public long deviceSet() {
        readUser = readUser % READ_USERS + 1;
        return accounts.deviceMask(readUser);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        accounts.close();
        deleteDirectory(directory);
    }
}
