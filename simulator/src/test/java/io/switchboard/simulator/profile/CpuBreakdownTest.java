package io.switchboard.simulator.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.switchboard.simulator.profile.CpuBreakdown.Component;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each CPU sample goes to the component of its innermost frame that has one; the shares add up to one. */
class CpuBreakdownTest {
    private static Component of(String stack) {
        return CpuBreakdown.classify(stack.split(";"));
    }

    @Test
    void shouldGiveASampleToTheInnermostFrameThatBelongsToAComponent() {
        assertThat(of("[switchboard-io-1 tid=7];io/netty/channel/nio/NioEventLoop.run_[j];"
                        + "io/switchboard/core/transport/SessionHandler.channelRead_[i];"
                        + "io/switchboard/core/protocol/JsonFrameDecoder.decode_[j];java/lang/String.<init>_[j]"))
                .as("the codec's string handling is the codec's, not Netty's")
                .isEqualTo(Component.CODEC);
        assertThat(of("[switchboard-shard-0 tid=8];org/agrona/concurrent/AgentRunner.run_[j];"
                        + "io/switchboard/core/router/sharded/ShardAgent.doWork_[j];"
                        + "io/switchboard/core/owner/Owner.onSend_[i];"
                        + "io/switchboard/core/journal/ChronicleJournal.append_[j];"
                        + "net/openhft/chronicle/queue/impl/single/StoreAppender.writeBytes_[j]"))
                .isEqualTo(Component.JOURNAL);
        assertThat(of("io/switchboard/core/router/sharded/ShardAgent.doWork_[j];"
                        + "org/agrona/concurrent/ringbuffer/ManyToOneRingBuffer.read_[j]"))
                .as("a ring read inside the shard logic")
                .isEqualTo(Component.ROUTER);
        assertThat(of("io/netty/channel/SingleThreadIoEventLoop.run_[j];"
                        + "io/switchboard/simulator/run/ScenarioRun.onFrame_[j];"
                        + "io/switchboard/simulator/run/Oracle.delivered_[j];"
                        + "io/switchboard/simulator/run/GroupDeliveries$Bits.set_[i]"))
                .isEqualTo(Component.ORACLE);
        assertThat(of("io/netty/channel/SingleThreadIoEventLoop.run_[j];"
                        + "io/switchboard/simulator/run/ScenarioRun.tick_[j];"
                        + "io/switchboard/simulator/net/VirtualClients.write_[j];"
                        + "io/netty/channel/AbstractChannelHandlerContext.write_[j]"))
                .as("the clients' writes into Netty are Netty's")
                .isEqualTo(Component.NETTY);
        assertThat(of("io.netty.channel.SingleThreadIoEventLoop.run;io.switchboard.simulator.run.ScenarioRun.tick"))
                .as("dotted names too")
                .isEqualTo(Component.CLIENTS);
    }

    @Test
    void shouldCountGarbageCollectionByThreadOrByCollectorCode() {
        assertThat(of("[GC Thread#0 tid=12];thread_native_entry(Thread*);Thread::call_run()"))
                .isEqualTo(Component.GC);
        assertThat(of("[G1 Conc#0 tid=13];thread_native_entry(Thread*)")).isEqualTo(Component.GC);
        assertThat(of("[switchboard-io-1 tid=7];io/switchboard/core/protocol/JsonWriter.grow_[j];"
                        + "OptoRuntime::new_array_C(Klass*, int, JavaThread*);"
                        + "MemAllocator::allocate() const;G1CollectedHeap::attempt_allocation_slow(unsigned long)"))
                .as("an allocation's slow path")
                .isEqualTo(Component.GC);
        assertThat(of("[C2 CompilerThread0 tid=9];CompileBroker::compiler_thread_loop()"))
                .isEqualTo(Component.OTHER);
        assertThat(of("[switchboard-shard-0 tid=8];org/agrona/concurrent/AgentRunner.run_[j];"
                        + "java/lang/Thread.yield0_[j];finish_task_switch_[k]"))
                .as("an idle shard")
                .isEqualTo(Component.OTHER);
    }

    @Test
    void shouldAddCollapsedStacksIntoSharesThatSumToOne() {
        CpuBreakdown breakdown = CpuBreakdown.of("""
                [a tid=1];io/netty/channel/nio/NioEventLoop.run_[j] 30
                [a tid=1];io/switchboard/core/protocol/JsonFrameDecoder.decode_[j] 10
                [GC Thread#0 tid=2];Thread::call_run() 10
                [b tid=3];java/lang/Thread.run_[j] 50
                """);

        assertThat(breakdown.samples()).isEqualTo(100);
        assertThat(breakdown.share(Component.NETTY)).isEqualTo(0.3);
        assertThat(breakdown.share(Component.CODEC)).isEqualTo(0.1);
        assertThat(breakdown.share(Component.GC)).isEqualTo(0.1);
        assertThat(breakdown.share(Component.OTHER)).isEqualTo(0.5);
        assertThat(breakdown.shares()).hasSize(Component.values().length).containsEntry("netty", 0.3);
        assertThat(breakdown.shares().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum())
                .isCloseTo(1.0, within(1e-9));
        assertThat(CpuBreakdown.of("").shares().values()).containsOnly(0.0);
    }

    @Test
    void shouldPrintOneColumnPerRun() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CpuBreakdown breakdown = CpuBreakdown.of("io/netty/Foo.bar_[j] 3\nio/switchboard/simulator/net/X.y_[j] 1\n");
        CpuBreakdown.print(
                List.of("sharded", "locked"),
                List.of(breakdown, breakdown),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .contains(
                        "component         sharded   locked",
                        "Netty               75.0%    75.0%",
                        "virtual clients     25.0%    25.0%",
                        "samples                 4        4");
    }
}
