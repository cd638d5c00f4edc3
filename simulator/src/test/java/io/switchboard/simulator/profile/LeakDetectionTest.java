package io.switchboard.simulator.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.ResourceLeakDetector.Level;
import org.junit.jupiter.api.Test;

class LeakDetectionTest {
    @Test
    void shouldMeasureWithoutTheLeakDetectorUnlessALevelIsChosen() {
        assertThat(LeakDetection.levelFor(null)).isEqualTo(Level.DISABLED);
        assertThat(LeakDetection.levelFor("simple")).isEqualTo(Level.SIMPLE);
        assertThat(LeakDetection.levelFor(" PARANOID ")).isEqualTo(Level.PARANOID);
    }

    @Test
    void shouldRefuseALevelNettyDoesNotHave() {
        assertThatThrownBy(() -> LeakDetection.levelFor("loud"))
                .isInstanceOf(LeakDetection.BadLevel.class)
                .hasMessage(
                        "-Dio.netty.leakDetection.level: expected disabled, simple, advanced or paranoid, got 'loud'");
    }

    /** The tests run paranoid: a measuring command keeps the level it was given, and children are given it too. */
    @Test
    void shouldKeepTheLevelTheJvmWasGivenAndPassItOn() {
        assertThat(LeakDetection.forMeasuring()).isEqualTo("paranoid");
        assertThat(LeakDetection.jvmOption()).isEqualTo("-Dio.netty.leakDetection.level=paranoid");
    }
}
