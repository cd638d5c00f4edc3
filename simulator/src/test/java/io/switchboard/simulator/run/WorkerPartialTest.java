package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the parent of {@code run --workers} makes of its workers' partial outcomes: one outcome, exact. */
class WorkerPartialTest {
    @TempDir
    Path dir;

    private static final ServerFigures SERVER = new ServerFigures() {
        @Override
        public Map<String, Long> counters() {
            return Map.of("messages.accepted", 15L);
        }

        @Override
        public Map<String, Object> gc() {
            return Map.of("source", "the parent's scrape");
        }
    };

    private static Histogram latencies(long... micros) {
        Histogram histogram = new Histogram(WindowFigures.MAX_MICROS, 3);
        for (long value : micros) {
            histogram.recordValue(value);
        }
        return histogram;
    }

    private static RunOutcome outcome(
            long sent, long lost, Map<String, Long> errors, Outages.Outage storm, long[]... micros) {
        Oracle.OracleCounts oracle = new Oracle.OracleCounts(
                sent,
                sent,
                sent - lost,
                lost,
                0,
                0,
                0,
                0,
                0,
                errors.values().stream().mapToLong(v -> v).sum(),
                errors,
                0,
                1,
                0,
                0);
        List<Histogram> perSecond = java.util.Arrays.stream(micros)
                .map(WorkerPartialTest::latencies)
                .toList();
        List<long[]> timeline = new java.util.ArrayList<>();
        for (int second = 0; second < micros.length; second++) {
            timeline.add(new long[] {second, sent, micros[second].length, 0});
        }
        Histogram all = latencies();
        perSecond.forEach(all::add);
        PresenceCounts presence = new PresenceCounts();
        presence.typingSent = sent;
        return new RunOutcome(
                oracle,
                HeldAtEnd.NOTHING,
                sent,
                0,
                sent,
                sent - lost,
                sent - lost,
                all,
                latencies(50),
                latencies(90),
                latencies(5),
                perSecond,
                timeline,
                4,
                micros.length,
                true,
                null,
                new RunOutcome.GroupFigures(2, (int) sent, 3 * sent, null),
                presence,
                1,
                Map.of(),
                Map.of(),
                null,
                storm == null ? List.of() : List.of(storm),
                new RunOutcome.ClientFigures("none", sent, 0, 0, 0, 100 * sent, 200 * sent, 0, 0, 5),
                PhoneFigures.NONE,
                WindowCosts.Figures.NONE);
    }

    private static Outages.Outage storm(long recoveryMs, long allBackMs, long... welcomes) {
        Outages.Outage storm = new Outages.Outage("storm", 2.0, 7, 1, 0);
        storm.recoveryMs = recoveryMs;
        storm.allBackMs = allBackMs;
        storm.closed = welcomes.length;
        storm.back = welcomes.length;
        for (long ms : welcomes) {
            storm.welcomeMs.recordValue(ms);
        }
        return storm;
    }

    private RunOutcome merged(RunOutcome... outcomes) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (RunOutcome outcome : outcomes) {
            Path file = dir.resolve("partial-" + (files.size() + 1) + ".json");
            WorkerPartial.write(file, outcome);
            files.add(file);
        }
        return WorkerPartial.merge(files, SERVER);
    }

    @Test
    void shouldSumTheOraclesAndAddTheHistogramsOfEveryWorker() throws IOException {
        RunOutcome first = outcome(10, 0, Map.of("bad-frame", 1L), null, new long[] {100, 200}, new long[] {300});
        RunOutcome second = outcome(5, 2, Map.of("bad-frame", 2L, "internal", 1L), null, new long[] {5_000});

        RunOutcome merged = merged(first, second);

        assertThat(merged.oracle().sent()).isEqualTo(15);
        assertThat(merged.oracle().delivered()).isEqualTo(13);
        assertThat(merged.lost()).isEqualTo(2);
        assertThat(merged.oracle().refused()).isEqualTo(2);
        assertThat(merged.oracle().sendErrorsByCode())
                .containsExactlyInAnyOrderEntriesOf(Map.of("bad-frame", 3L, "internal", 1L));
        assertThat(merged.windowSent()).isEqualTo(15);
        assertThat(merged.windowAcked()).isEqualTo(15);
        assertThat(merged.send2deliver().getTotalCount()).isEqualTo(4);
        assertThat(merged.send2deliver().getMaxValue())
                .isEqualTo(latencies(5_000).getMaxValue());
        assertThat(merged.send2ack().getTotalCount()).isEqualTo(2);
        assertThat(merged.sendLag().getTotalCount())
                .as("each worker's send lag")
                .isEqualTo(2);
        assertThat(merged.perSecond()).extracting(Histogram::getTotalCount).containsExactly(3L, 1L);
        assertThat(merged.timeline().get(0))
                .containsExactly(0, 15, 3, latencies(5_000).getValueAtPercentile(99));
        assertThat(merged.timeline().get(1))
                .containsExactly(1, 10, 1, latencies(300).getValueAtPercentile(99));
        assertThat(merged.drainSec()).isEqualTo(2);
        assertThat(merged.groups().count()).isEqualTo(4);
        assertThat(merged.groups().largest()).isEqualTo(10);
        assertThat(merged.groups().memberships()).isEqualTo(45);
        assertThat(merged.presence().typingSent).isEqualTo(15);
        assertThat(merged.receiptsSentAgain()).isEqualTo(2);
        assertThat(merged.client().bytesWritten()).isEqualTo(1_500);
        assertThat(merged.client().messages()).isEqualTo(15);
        assertThat(merged.serverCounters()).containsEntry("messages.accepted", 15L);
    }

    @Test
    void shouldMergeEachWorkersStormIntoOneWithEveryDevicesWelcome() throws IOException {
        RunOutcome first = outcome(10, 0, Map.of(), storm(40, 900, 40, 500, 900), new long[] {100});
        RunOutcome second = outcome(10, 0, Map.of(), storm(25, 1_200, 25, 1_200), new long[] {100});

        Outages.Outage storm = merged(first, second).outages().get(0);

        assertThat(storm.kind).isEqualTo("storm");
        assertThat(storm.recoveryMs).as("the first welcome of any worker").isEqualTo(25);
        assertThat(storm.allBackMs).as("the last device of any worker").isEqualTo(1_200);
        assertThat(storm.closed).isEqualTo(5);
        assertThat(storm.ackedBefore).isEqualTo(14);
        assertThat(storm.welcomeMs.getTotalCount()).isEqualTo(5);
        assertThat(storm.toJson())
                .containsEntry("welcomeMaxMs", latencies(1_200).getMaxValue());
    }

    @Test
    void shouldSayADeviceNeverCameBackWhenOneWorkersDidNot() throws IOException {
        RunOutcome first = outcome(10, 0, Map.of(), storm(40, 900, 40, 900), new long[] {100});
        RunOutcome second = outcome(10, 0, Map.of(), storm(25, -1, 25), new long[] {100});

        assertThat(merged(first, second).outages().get(0).allBackMs).isEqualTo(-1);
    }
}
