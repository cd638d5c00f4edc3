package io.switchboard.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.jmh.accounts.RegistrationFloodBenchmark;
import io.switchboard.jmh.e2ee.SignalSessionBenchmark;
import io.switchboard.jmh.handoff.HandoffBenchmark;
import io.switchboard.jmh.handoff.HandoffLatencyBenchmark;
import io.switchboard.jmh.journal.JournalAppendBenchmark;
import io.switchboard.jmh.journal.JournalAppendLatencyBenchmark;
import io.switchboard.jmh.journal.JournalRecoveryBenchmark;
import io.switchboard.jmh.protocol.BinaryCodecBenchmark;
import io.switchboard.jmh.protocol.JsonCodecBenchmark;
import io.switchboard.jmh.push.ApnsPushBenchmark;
import io.switchboard.jmh.router.GroupFanoutBenchmark;
import io.switchboard.jmh.router.OwnerMessageBenchmark;
import io.switchboard.jmh.router.RouterCycleBenchmark;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every benchmark runs once in the build, so that one a refactor broke fails {@code ./mvnw verify} instead of the next
 * {@code ./switchboard bench}: one short measured iteration, no warm-up, no fork (the test JVM has the flags the
 * benchmarks need from surefire's argLine), and only the parameters that pick a different code path. The figures mean
 * nothing; that each benchmark method ran and produced a score does.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BenchmarkSmokeTest {
    private static final List<Class<?>> BENCHMARKS = List.of(
            JsonCodecBenchmark.class,
            BinaryCodecBenchmark.class,
            HandoffBenchmark.class,
            HandoffLatencyBenchmark.class,
            RouterCycleBenchmark.class,
            OwnerMessageBenchmark.class,
            GroupFanoutBenchmark.class,
            JournalAppendBenchmark.class,
            JournalAppendLatencyBenchmark.class,
            JournalRecoveryBenchmark.class,
            RegistrationFloodBenchmark.class,
            SignalSessionBenchmark.class,
            ApnsPushBenchmark.class);

    @Test
    void shouldRunEveryBenchmarkOnceAndScoreIt() throws Exception {
        OptionsBuilder options = new OptionsBuilder();
        // The whole package, so that a benchmark missing from BENCHMARKS runs too and fails the set comparison below.
        options.include("^" + Pattern.quote(BenchmarkBase.class.getPackageName() + "."))
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .addProfiler(LatencyProfiler.class)
                // One value of each size: sizes change the figures, not the code that runs.
                .param("bodyBytes", "100")
                .param("groupSize", "8")
                .param("ratePerSec", "100000")
                .param("messages", "10000");

        Collection<RunResult> results = new Runner(options.build()).run();

        Set<String> ran = results.stream()
                .map(result -> result.getParams().getBenchmark())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(ran)
                .as("benchmarks that produced a result (a new benchmark class belongs in BENCHMARKS)")
                .isEqualTo(expectedBenchmarks());
        for (RunResult result : results) {
            double score = result.getPrimaryResult().getScore();
            assertThat(score)
                    .as("score of %s %s", result.getParams().getBenchmark(), result.getParams())
                    .isFinite()
                    .isGreaterThan(0);
        }
        assertThat(results)
                .filteredOn(result -> result.getParams()
                                .getBenchmark()
                                .startsWith(HandoffLatencyBenchmark.class.getName())
                        || result.getParams().getBenchmark().startsWith(JournalAppendLatencyBenchmark.class.getName()))
                .as("latency percentiles from LatencyProfiler")
                .allSatisfy(result -> assertThat(result.getSecondaryResults()).containsKey("latency.p99"));
    }

    /** What JMH names each benchmark method: the class and the method, or the group for grouped methods. */
    private static Set<String> expectedBenchmarks() {
        Set<String> expected = new TreeSet<>();
        for (Class<?> benchmark : BENCHMARKS) {
            for (Method method : benchmark.getMethods()) {
                if (method.isAnnotationPresent(Benchmark.class)) {
                    Group group = method.getAnnotation(Group.class);
                    expected.add(benchmark.getName() + "." + (group == null ? method.getName() : group.value()));
                }
            }
        }
        assertThat(expected).as("benchmark methods found").hasSizeGreaterThanOrEqualTo(BENCHMARKS.size());
        return expected;
    }
}
