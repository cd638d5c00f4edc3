package io.switchboard.simulator.profile;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether this JVM keeps its heap on transparent huge pages ({@code -XX:+UseTransparentHugePages}, which a user may pass
 * in {@code JAVA_OPTS}). Every result records it, since it changes how the per-user tables meet the TLB; on this
 * machine it made no difference its noise did not hide (results/reference/20261207-huge-pages).
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
