package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher puts the heap on transparent huge pages where the kernel gives them on request, and {@code JAVA_OPTS}
 * can turn them off: the JVM's own flags, as {@code -XX:+PrintFlagsFinal} prints them for {@code --version}.
 */
@Timeout(120)
class LauncherHugePagesIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ON = Pattern.compile("bool UseTransparentHugePages\\s+= true");
    private static final Pattern OFF = Pattern.compile("bool UseTransparentHugePages\\s+= false");

    @Test
    void shouldPutTheHeapOnHugePagesWhereTheKernelGivesThemOnRequest() throws Exception {
        String flags = flagsWith("-XX:+PrintFlagsFinal");

        assertThat(flags).as("the launcher ran the CLI").contains("switchboard");
        assertThat(flags).containsPattern(kernelGivesThemOnRequest() ? ON : OFF);
    }

    @Test
    void shouldLeaveThemOffWhenJavaOptsSaysSo() throws Exception {
        String flags = flagsWith("-XX:+PrintFlagsFinal -XX:-UseTransparentHugePages");

        assertThat(flags).containsPattern(OFF);
    }

    private static boolean kernelGivesThemOnRequest() throws Exception {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.exists(mode)
                && Pattern.compile("\\[(madvise|always)]")
                        .matcher(Files.readString(mode))
                        .find();
    }

    private static String flagsWith(String javaOpts) throws Exception {
        ProcessBuilder launch = new ProcessBuilder(
                        "bash", ROOT.resolve("switchboard").toString(), "--version")
                .redirectErrorStream(true);
        launch.environment().put("JAVA_OPTS", javaOpts);
        Process process = launch.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(new String(output, StandardCharsets.UTF_8))
                .isZero();
        return new String(output, StandardCharsets.UTF_8);
    }
}
