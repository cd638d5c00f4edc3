package io.switchboard.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioCatalogTest {
    @TempDir
    Path dir;

    @Test
    void shouldListNamesAndQuestionsSortedByFileAndReportABrokenFileWithoutFailing() throws IOException {
        Files.writeString(dir.resolve("b-locked.yaml"), "# Question: is locked slower?\nname: locked-vs-sharded\n");
        Files.writeString(dir.resolve("a-quick.yaml"), "# Question: does it work?\nusers: 10\n");
        Files.writeString(dir.resolve("c-broken.yaml"), "# Question: broken?\nusers: many\n");
        Files.writeString(dir.resolve("notes.txt"), "not a scenario");
        Files.createDirectory(dir.resolve("d-dir.yaml"));

        List<ScenarioCatalog.Entry> entries = ScenarioCatalog.list(dir);

        assertThat(entries)
                .extracting(ScenarioCatalog.Entry::name)
                .containsExactly("a-quick", "locked-vs-sharded", "c-broken");
        assertThat(entries)
                .extracting(ScenarioCatalog.Entry::question)
                .containsExactly("does it work?", "is locked slower?", null);
        assertThat(entries.get(0).valid()).isTrue();
        assertThat(entries.get(2).valid()).isFalse();
        assertThat(entries.get(2).error())
                .isEqualTo(dir.resolve("c-broken.yaml")
                        + " line 2: field 'users': expected an integer in 2..1000000, got 'many'");
    }

    @Test
    void shouldListAnEmptyDirectoryAsEmpty() {
        assertThat(ScenarioCatalog.list(dir)).isEmpty();
    }

    @Test
    void shouldRefuseAMissingDirectory() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> ScenarioCatalog.list(missing))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(missing + ": not a directory");
    }
}
