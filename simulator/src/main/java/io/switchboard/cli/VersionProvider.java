package io.switchboard.cli;

import picocli.CommandLine;

/** Reports the build's version and the JVM it runs on: every figure depends on both. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = SwitchboardCli.class.getPackage().getImplementationVersion();
        return new String[] {
            "switchboard " + (version == null ? "(development build)" : version),
            "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version()
        };
    }
}
