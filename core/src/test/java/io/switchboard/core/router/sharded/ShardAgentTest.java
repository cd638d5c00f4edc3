package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.switchboard.core.owner.Peers.PeerTask;
import io.switchboard.core.router.ConnectionRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shards stepped one duty cycle at a time on the test thread ({@link InvokedShards}): how much a cycle reads, and how
 * tasks posted from inside other tasks reach their shard when its mailbox is full: without the poster waiting, and in
 * the order they were posted.
 */
class ShardAgentTest {
    /** Small, so that the tests fill it; a power of two, so that it is exactly the capacity. */
    private static final int MAILBOX_TASKS = 8;

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    private final List<InvokedShards> opened = new ArrayList<>();
    /** What the tasks ran, in the order they ran, as their names. */
    private final List<String> ran = new ArrayList<>();

    private InvokedShards shards(int count) {
        InvokedShards shards = new InvokedShards(count, MAILBOX_TASKS);
        opened.add(shards);
        return shards;
    }

    @AfterEach
    void close() {
        opened.forEach(InvokedShards::close);
    }

    private PeerTask named(String name) {
        return owner -> ran.add(name);
    }

    /** A task that records its name, then has {@code poster} (the shard it runs on) post tasks named {@code posts}. */
    private PeerTask posting(String name, ShardAgent poster, int target, String... posts) {
        return owner -> {
            ran.add(name);
            for (String post : posts) {
                poster.post(target, named(post));
            }
        };
    }

    /** Tasks posted by {@code poster} to {@code target}, named "filler i" for i in [from, to). */
    private void fill(ShardAgent poster, int target, int from, int to) {
        for (int i = from; i < to; i++) {
            poster.post(target, named("filler " + i));
        }
    }

    /** One duty cycle of a shard, which must not wait: a shard nobody else steps would wait forever. */
    private static int step(InvokedShards shards, int shard) {
        return assertTimeoutPreemptively(
                STEP_TIMEOUT, () -> shards.invoker(shard).invoke(), "a duty cycle of shard " + shard + " waited");
    }

    @Test
    void shouldReadAtMostInboxLimitCommandsPerDutyCycleAndWakeTheLoopForWhatItWrote() {
        InvokedShards shards = shards(1);
        int sessions = ShardAgent.INBOX_LIMIT + 10;
        for (long user = 1; user <= sessions; user++) {
            assertThat(shards.router.open(user, InvokedShards.DEVICE, ConnectionRef.of(user, 0), false))
                    .isTrue();
        }

        assertThat(step(shards, 0)).as("commands read by the first cycle").isEqualTo(ShardAgent.INBOX_LIMIT);
        assertThat(shards.loop.runTasks()).as("the loop woken once").isEqualTo(1);
        assertThat(shards.loop.encoded)
                .as("welcomes written by the first cycle")
                .hasSize(ShardAgent.INBOX_LIMIT);

        assertThat(step(shards, 0)).as("commands read by the second cycle").isEqualTo(10);
        shards.loop.runTasks();
        assertThat(shards.loop.encoded).hasSize(sessions);
        assertThat(shards.loop.encoded.get(sessions - 1)).contains("\"user\":" + sessions);
    }

    @Test
    void shouldDeferWhatATaskPostsToAFullMailboxAndDeliverItInPostingOrderWithoutWaiting() {
        InvokedShards shards = shards(2);
        ShardAgent shard0 = shards.agent(0);
        fill(shard0, 1, 1, MAILBOX_TASKS);
        // Shard 1's mailbox has room for one more: "a1" goes straight in, the rest wait in shard 0's list.
        shard0.post(0, posting("x", shard0, 1, "a1", "a2", "a3"));
        // Shard 1 runs a duty cycle between two of shard 0's tasks (as it may, on its own thread), which makes room;
        // what shard 0 posts next still goes behind what it deferred.
        shard0.post(0, owner -> {
            shards.invoker(1).invoke();
            shard0.post(1, named("a4"));
        });

        step(shards, 0);
        assertThat(ran)
                .as("shard 1's cycle inside shard 0's")
                .hasSize(MAILBOX_TASKS + 1)
                .endsWith("a1");
        step(shards, 0); // posts the deferred tasks first
        step(shards, 1);

        assertThat(ran.subList(MAILBOX_TASKS + 1, ran.size())).containsExactly("a2", "a3", "a4");
    }

    @Test
    void shouldRunWhatTasksPostToTheirOwnFullMailboxAfterThemInPostingOrder() {
        InvokedShards shards = shards(1);
        ShardAgent shard = shards.agent(0);
        // The mailbox is full; as the drain takes each task, a slot frees.
        shard.post(0, posting("x", shard, 0, "x1", "x2"));
        shard.post(0, posting("y", shard, 0, "y1"));
        fill(shard, 0, 2, MAILBOX_TASKS);

        step(shards, 0);
        step(shards, 0);

        assertThat(ran).containsSubsequence("x", "y", "x1", "x2", "y1");
        assertThat(ran).hasSize(MAILBOX_TASKS + 3);
    }

    @Test
    void shouldKeepPostingOrderWhenACommandPostsToItsOwnFullMailbox() {
        InvokedShards shards = shards(1);
        ShardAgent shard = shards.agent(0);
        shard.post(0, posting("x", shard, 0, "x1"));
        fill(shard, 0, 1, MAILBOX_TASKS);

        // As a command does: the shard makes room by running its oldest task, whose own post comes after this one.
        assertTimeoutPreemptively(STEP_TIMEOUT, () -> shard.post(0, named("command's")));
        step(shards, 0);
        step(shards, 0);

        assertThat(ran).containsSubsequence("x", "command's", "x1");
        assertThat(ran).hasSize(MAILBOX_TASKS + 2);
    }

    @Test
    void shouldDeferWhatRecoveryPostsToAFullMailboxToTheShardsFirstDutyCycle() {
        InvokedShards shards = shards(2);
        ShardAgent shard0 = shards.agent(0);
        shard0.recovering(true);
        // Replay runs on the router's thread before any shard does: a post that waited for room would wait forever.
        assertTimeoutPreemptively(STEP_TIMEOUT, () -> fill(shard0, 1, 0, MAILBOX_TASKS + 2));
        shard0.recovering(false);

        step(shards, 1);
        step(shards, 0);
        step(shards, 1);

        assertThat(ran).hasSize(MAILBOX_TASKS + 2).endsWith("filler " + MAILBOX_TASKS, "filler " + (MAILBOX_TASKS + 1));
    }
}
