package io.switchboard.core.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The server's data directories (accounts, tokens, journals) are readable by their owner alone: the files in them hold
 * tokens and messages, and the process's umask would otherwise let every local user read them. Where the file system
 * has no POSIX permissions (Windows) the directory is created as it is.
 */
public final class DataDirectories {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDirectories() {}

    /** Creates {@code directory} and its missing parents, and makes {@code directory} owner-only. */
    public static Path ownerOnly(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY);
        }
        return directory;
    }
}
