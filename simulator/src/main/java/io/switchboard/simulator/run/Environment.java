package io.switchboard.simulator.run;

import io.switchboard.simulator.profile.HugePages;
import io.switchboard.simulator.profile.LeakDetection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What every result records about where it ran: the JDK, the cores, and the commit of the code. */
public final class Environment {
    private Environment() {}

    public static Map<String, Object> describe() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("jdk", Runtime.version().toString());
        env.put("jvm", System.getProperty("java.vm.name"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("commit", commit());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("nettyLeakDetection", LeakDetection.level());
        env.put("transparentHugePages", HugePages.inUse());
        return env;
    }

    /** The checked-out commit (with "+dirty" for uncommitted changes), or "unknown" outside a git checkout. */
    private static String commit() {
        try {
            String head = git("rev-parse", "--short", "HEAD");
            if (head.isEmpty()) {
                return "unknown";
            }
            return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "+dirty";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!git.waitFor(5, TimeUnit.SECONDS) || git.exitValue() != 0) {
            git.destroyForcibly();
            return "";
        }
        return new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
