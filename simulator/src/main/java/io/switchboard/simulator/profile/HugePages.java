package io.switchboard.simulator.profile;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether this JVM keeps its heap on transparent huge pages ({@code -XX:+UseTransparentHugePages}, which the launcher
 * passes where the kernel gives them on request). Every result records it: at 500,000 msgs/s on the direct transport it
 * moved delivered msgs/s by 10-20% (results/reference/20261207-huge-pages), more than many changes measured against it.
 */
public final class HugePages {
    private static final String OPTION = "UseTransparentHugePages";

    private HugePages() {}

    /** The option's value in force: false where the JVM lacks it or turned it off for want of the kernel's support. */
    public static boolean inUse() {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(OPTION)
                    .getValue());
        } catch (IllegalArgumentException notThisJvm) {
            return false;
        }
    }
}
