package io.switchboard.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Links from a report to a run's profile files start where the report is written. */
class ProfileSectionTest {
    @Test
    void shouldLinkRelativeToThePage() {
        Path run = Path.of("/results/20261201-120000-routing/sharded");

        assertThat(ProfileSection.href(run, run.getParent(), "profile-cpu.html"))
                .isEqualTo("sharded/profile-cpu.html");
        assertThat(ProfileSection.href(run, Path.of("/results/20261202-120000-comparison"), "profile-cpu.html"))
                .isEqualTo("../20261201-120000-routing/sharded/profile-cpu.html");
        assertThat(ProfileSection.href(run, null, "profile-cpu.html")).isEqualTo("profile-cpu.html");
        assertThat(ProfileSection.href(null, Path.of("/results"), "profile-cpu.html"))
                .isEqualTo("profile-cpu.html");
        assertThat(ProfileSection.href(Path.of("/my results/run#1"), Path.of("/my results"), "profile-cpu.html"))
                .isEqualTo("run%231/profile-cpu.html");
    }
}
