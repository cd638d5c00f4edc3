package io.switchboard.core.media;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.switchboard.core.config.DataDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Blobs as files: {@code <dir>/blobs/<id>}, written first to {@code <dir>/tmp/<id>.part}, forced to disk and then
 * renamed atomically into place, so that a blob is either whole or absent, also across a crash. A blob's age is its
 * file's modification time. What a crash leaves in {@code tmp} is deleted when the store opens.
 */
public final class FileMediaStore implements MediaStore {
    static final String PART = ".part";
    /** How much a read hands an I/O loop at a time. */
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Path blobs;
    private final Path tmp;

    private FileMediaStore(Path blobs, Path tmp) {
        this.blobs = blobs;
        this.tmp = tmp;
    }

    /** Opens the store under {@code directory} (owner-only, as every data directory), deleting half-written blobs. */
    public static FileMediaStore open(Path directory) throws IOException {
        DataDirectories.ownerOnly(directory);
        FileMediaStore store = new FileMediaStore(
                DataDirectories.ownerOnly(directory.resolve("blobs")),
                DataDirectories.ownerOnly(directory.resolve("tmp")));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(store.tmp)) {
            for (Path part : parts) {
                Files.deleteIfExists(part);
            }
        }
        return store;
    }

    @Override
    public void put(String id, long sizeBytes, InputStream content) throws IOException {
        Path part = tmp.resolve(id + PART);
        boolean done = false;
        try (FileChannel file = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = copy(content, file);
            if (written != sizeBytes) {
                throw new IOException("the upload has " + written + " bytes, not the " + sizeBytes + " announced");
            }
            file.force(true);
            Files.move(part, blobs.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
        forceDirectory(blobs);
    }

    private static long copy(InputStream content, FileChannel file) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        long total = 0;
        for (int n = content.read(chunk); n >= 0; n = content.read(chunk)) {
            buffer.clear().limit(n);
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
            total += n;
        }
        return total;
    }

    /** The rename is durable only once the directory that holds the new name is on disk too (POSIX). */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public BlobInfo stat(String id) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(blobs.resolve(id), BasicFileAttributes.class);
            return new BlobInfo(attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public ChunkedInput<ByteBuf> open(String id, long offset, long length) throws IOException {
        FileChannel file;
        try {
            file = FileChannel.open(blobs.resolve(id), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            return new ChunkedNioFile(file, offset, length, CHUNK_BYTES);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public int deleteStoredBefore(long cutoffMs) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(blobs)) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toMillis() < cutoffMs && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return deleted;
    }

    @Override
    public String name() {
        return "fs";
    }

    @Override
    public void close() {}
}
