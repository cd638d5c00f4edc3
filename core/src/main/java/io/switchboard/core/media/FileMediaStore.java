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
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Blobs as files: {@code <dir>/blobs/<id>/<owner>}, a directory per blob holding one file named for the user who
 * uploaded it, so that a listing alone tells whose bytes the store holds (a restart counts them from it). A blob is
 * written first to {@code <dir>/tmp/<id>.part/<owner>}, forced to disk, and its directory is then renamed atomically
 * into place, so that a blob is either whole, with its owner, or absent, also across a crash. A blob's age is its
 * file's modification time. What a crash leaves in {@code tmp}, and a blob directory a crash emptied while deleting it,
 * are deleted when the store opens.
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
                deleteBlobDirectory(part);
            }
        }
        return store;
    }

    @Override
    public void put(String id, long owner, long sizeBytes, InputStream content) throws IOException {
        Path part = tmp.resolve(id + PART);
        Files.createDirectory(part);
        boolean done = false;
        try {
            try (FileChannel file = FileChannel.open(
                    part.resolve(Long.toString(owner)), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long written = copy(content, file);
                if (written != sizeBytes) {
                    throw new IOException("the upload has " + written + " bytes, not the " + sizeBytes + " announced");
                }
                file.force(true);
            }
            forceDirectory(part);
            Files.move(part, blobs.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } finally {
            if (!done) {
                deleteBlobDirectory(part);
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

    /**
     * The file of the blob in {@code directory}, or null when there is none (no such blob, or one half-deleted). A
     * blob stored before blobs had directories is the file {@code blobs/<id>} itself.
     */
    private static Path content(Path directory) throws IOException {
        if (Files.isRegularFile(directory)) {
            return directory;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                return file;
            }
            return null;
        } catch (NoSuchFileException | NotDirectoryException e) {
            return null;
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    private BlobInfo info(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new BlobInfo(
                file.getParent().equals(blobs)
                        ? BlobInfo.NO_OWNER
                        : Long.parseLong(file.getFileName().toString()),
                attributes.size(),
                attributes.lastModifiedTime().toMillis());
    }

    @Override
    public BlobInfo stat(String id) throws IOException {
        Path file = content(blobs.resolve(id));
        try {
            return file == null ? null : info(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public ChunkedInput<ByteBuf> open(String id, long offset, long length) throws IOException {
        Path content = content(blobs.resolve(id));
        if (content == null) {
            return null;
        }
        FileChannel file;
        try {
            file = FileChannel.open(content, StandardOpenOption.READ);
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
    public int deleteStoredBefore(long cutoffMs, Consumer<BlobInfo> deleted) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(blobs)) {
            for (Path directory : directories) {
                try {
                    Path file = content(directory);
                    BlobInfo info = file == null ? null : info(file);
                    if (info == null || info.createdMs() < cutoffMs) {
                        // The file goes first: a crash between the two leaves an empty directory, which is no blob.
                        if (file != null && Files.deleteIfExists(file)) {
                            deleted.accept(info);
                            count++;
                        }
                        Files.deleteIfExists(directory);
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return count;
    }

    @Override
    public void scan(Consumer<BlobInfo> each) throws IOException {
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(blobs)) {
            for (Path directory : directories) {
                Path file = content(directory);
                if (file != null) {
                    each.accept(info(file));
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    /**
     * What the store holds now and half of what the disk has free besides: the other half stays for the journal and
     * whatever else shares the disk, and the bound, once reached, refuses before the disk is full.
     */
    @Override
    public long defaultMaxBytes(long heldBytes) throws IOException {
        return heldBytes + Files.getFileStore(blobs).getUsableSpace() / 2;
    }

    /** Deletes a blob's directory and the file in it, whichever of them is there. */
    private static void deleteBlobDirectory(Path directory) throws IOException {
        Path file = content(directory);
        if (file != null) {
            Files.deleteIfExists(file);
        }
        Files.deleteIfExists(directory);
    }

    @Override
    public String name() {
        return "fs";
    }

    @Override
    public void close() {}
}
