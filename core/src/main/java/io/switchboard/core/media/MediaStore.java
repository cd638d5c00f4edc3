package io.switchboard.core.media;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Where blobs live. Every method blocks on the store (a disk, a network) and is called on the media service's threads,
 * never on an I/O loop; implementations are thread-safe. A blob is visible only once {@link #put} has returned: a put
 * that fails or is aborted leaves nothing a reader can see.
 */
public interface MediaStore extends AutoCloseable {
    /**
     * Stores {@code content}, which must yield exactly {@code sizeBytes} bytes, under {@code id}, with {@code owner}
     * recorded beside it in the same atomic step (so that the store alone can say, after a restart, whose bytes it
     * holds). Throws when the content ends early or fails (its client went away), or when the store fails; nothing is
     * kept then.
     */
    void put(String id, long owner, long sizeBytes, InputStream content) throws IOException;

    /** The blob's owner, size and age, or null when there is none by that id. */
    BlobInfo stat(String id) throws IOException;

    /**
     * {@code length} bytes of the blob from {@code offset}, as chunks that an I/O loop writes as the client takes them
     * (without a thread or the whole blob held meanwhile); null when the blob is gone. The caller closes it.
     */
    ChunkedInput<ByteBuf> open(String id, long offset, long length) throws IOException;

    /** Deletes every blob stored before {@code cutoffMs}, telling {@code deleted} of each; returns how many. */
    int deleteStoredBefore(long cutoffMs, Consumer<BlobInfo> deleted) throws IOException;

    /** Tells {@code each} of every blob the store holds (at a start, to count what each user holds). */
    void scan(Consumer<BlobInfo> each) throws IOException;

    /**
     * The store's size bound when {@code media.maxStoreBytes} is not set, given the {@code heldBytes} it holds now.
     */
    long defaultMaxBytes(long heldBytes) throws IOException;

    /** A short name for metrics and logs: {@code fs} or {@code s3}. */
    String name();

    @Override
    void close();
}
