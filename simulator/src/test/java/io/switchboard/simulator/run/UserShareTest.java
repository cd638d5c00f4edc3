package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.protocol.FrameText;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioException;
import io.switchboard.simulator.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserShareTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("shares.yaml"), "# Question: how are users shared?\n" + yaml);
    }

    private Scenario scenario(String yaml) throws IOException {
        return ScenarioLoader.load(file(yaml), Map.of(), true, 4);
    }

    @Test
    void shouldSplitUsersGroupsAndRateIntoContiguousSharesThatAddUpToTheScenario() throws IOException {
        Scenario scenario = scenario("seed: 7\nusers: 10\nmessages: {rate: 100}\ngroups: {count: 5, size: 2..3}\n");

        List<UserShare> shares = UserShare.split(scenario, 3);

        assertThat(shares).extracting(UserShare::users).containsExactly(4, 3, 3);
        assertThat(shares).extracting(UserShare::userBase).containsExactly(0L, 4L, 7L);
        assertThat(shares).extracting(UserShare::groups).containsExactly(2, 2, 1);
        assertThat(shares).extracting(UserShare::groupBase).containsExactly(0, 2, 4);
        assertThat(shares).extracting(UserShare::ratePerSecond).containsExactly(34, 33, 33);
        assertThat(shares).extracting(UserShare::seed).containsExactly(7L, 8L, 9L);
        assertThat(shares.get(1).toString()).isEqualTo("worker 2/3: users 5..7, 2 groups, 33 msgs/s");
    }

    @Test
    void shouldGiveAWorkerItsShareThroughTheOverridesAndItsArgument() throws IOException {
        Path file = file("seed: 7\nusers: 10\nmessages: {rate: 100}\ngroups: {count: 5, size: 2..3}\n");
        UserShare second =
                UserShare.split(ScenarioLoader.load(file, Map.of(), true, 2), 2).get(1);

        Scenario asTheWorkerLoadsIt = ScenarioLoader.load(file, second.overrides(), true);

        assertThat(asTheWorkerLoadsIt.users()).isEqualTo(5);
        assertThat(asTheWorkerLoadsIt.groups().count()).isEqualTo(2);
        assertThat(asTheWorkerLoadsIt.messages().ratePerSecond()).isEqualTo(50);
        assertThat(UserShare.parse(second.argument(), asTheWorkerLoadsIt)).isEqualTo(second);
    }

    @Test
    void shouldRefuseAShareAboveTheOpenFilesCapBeforeAnyWorkerStarts() throws IOException {
        Path file = file("users: 40000\nmessages: {rate: 100}\n");
        Scenario scenario = ScenarioLoader.load(file, Map.of(), true, 3);

        assertThatThrownBy(() -> WorkerCommand.shares(file, Map.of(), scenario, 2))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("worker 1/2: users 1..20,000")
                .hasMessageContaining("at most 18,000 devices");
        assertThatThrownBy(() -> ScenarioLoader.load(file, Map.of(), true))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("more --workers");
        assertThat(WorkerCommand.shares(file, Map.of(), scenario, 3))
                .extracting(UserShare::users)
                .containsExactly(13334, 13333, 13333);
    }

    @Test
    void shouldKeepAWorkersGroupIdsApartFromTheOtherWorkers() {
        GroupPlan second = new GroupPlan(9, 20, new Scenario.Groups(3, 2, 4), 20, 3);

        assertThat(second.id(0)).isEqualTo("g3");
        assertThat(second.indexOf(text("g5"))).isEqualTo(2);
        assertThat(second.indexOf(text("g2"))).as("the first worker's").isEqualTo(-1);
        assertThat(second.indexOf(text("g6"))).as("the next worker's").isEqualTo(-1);
        assertThat(second.userId(0)).isEqualTo(21);
    }

    private static FrameText text(String value) {
        FrameText text = new FrameText();
        text.set(value);
        return text;
    }
}
