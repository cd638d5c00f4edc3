package io.switchboard.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.LimitsContext;
import io.switchboard.core.config.Settings;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AddressLimitsTest {
    private long nowNs = 1_000;

    private AddressLimits limits(Object... keysAndValues) {
        Settings settings = Settings.empty();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.with((String) keysAndValues[i], keysAndValues[i + 1], "test");
        }
        return new AddressLimits(LimitsContext.from(settings), () -> nowNs);
    }

    private static InetSocketAddress at(String address) {
        return new InetSocketAddress(address, 40_000);
    }

    @Test
    void shouldLimitEachAddressAndEachKindApart() {
        AddressLimits limits = limits("limits.registrations.perMinute", 6, "limits.registrations.burst", 2);
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.1"))).isZero();
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.1"))).isZero();
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.1"))).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.2")))
                .as("another address")
                .isZero();
        assertThat(limits.take(LimitKind.LINK_CODE, at("10.0.0.1")))
                .as("another kind")
                .isZero();
        nowNs += TimeUnit.SECONDS.toNanos(10);
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.1"))).isZero();
    }

    @Test
    void shouldKeepAtMostTheConfiguredAddressesDroppingTheLeastRecentlyUsed() {
        AddressLimits limits = limits("limits.addresses", 16, "limits.registrations.burst", 1);
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.0"))).isZero();
        for (int i = 1; i < 10_000; i++) {
            limits.take(LimitKind.REGISTRATION, at("10.0." + (i / 256) + "." + (i % 256)));
            assertThat(limits.size()).isLessThanOrEqualTo(16);
        }
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.0")))
                .as("forgotten, so full again")
                .isZero();
        assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.0"))).isPositive();
    }

    @Test
    void shouldCountAnIpv6HostByItsSlash64() {
        AddressLimits limits = limits("limits.registrations.burst", 1);
        assertThat(limits.take(LimitKind.REGISTRATION, at("2001:db8:1:2::1"))).isZero();
        assertThat(limits.take(LimitKind.REGISTRATION, at("2001:db8:1:2:ffff::9")))
                .isPositive();
        assertThat(limits.take(LimitKind.REGISTRATION, at("2001:db8:1:3::1"))).isZero();
        assertThat(AddressLimits.key(at("2001:db8:1:2::1"))).isNotEqualTo(AddressLimits.key(at("32.1.13.184")));
    }

    @Test
    void shouldTakeNothingWhenALimitIsOff() {
        AddressLimits limits = limits("limits.registrations.perMinute", 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(limits.take(LimitKind.REGISTRATION, at("10.0.0.1"))).isZero();
        }
        assertThat(limits.size()).isZero();
    }
}
