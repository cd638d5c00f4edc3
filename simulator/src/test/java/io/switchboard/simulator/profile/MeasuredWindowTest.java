package io.switchboard.simulator.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window opens on the first tick at or past its start, closes on the first at or past its end, once each. */
class MeasuredWindowTest {
    private final List<String> heard = new ArrayList<>();
    private final MeasuredWindow window = new MeasuredWindow(new MeasuredWindow.Listener() {
        @Override
        public void opened() {
            heard.add("opened");
        }

        @Override
        public void closed() {
            heard.add("closed");
        }
    });

    @Test
    void shouldOpenAndCloseOnceOnTheTicksThatReachThem() {
        window.at(0);
        window.set(100, 200);
        window.at(99);
        assertThat(heard).isEmpty();
        window.at(100);
        window.at(150);
        assertThat(heard).containsExactly("opened");
        window.at(250);
        window.at(300);
        assertThat(heard).containsExactly("opened", "closed");
    }

    @Test
    void shouldOpenAndCloseOnOneTickPastBoth() {
        window.set(Long.MAX_VALUE - 10, Long.MAX_VALUE - 5);
        window.at(Long.MIN_VALUE + 5); // the clock wrapped: still past both
        assertThat(heard).containsExactly("opened", "closed");
    }
}
