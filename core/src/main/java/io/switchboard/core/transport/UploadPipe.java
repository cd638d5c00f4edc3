package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * An upload's body on its way from the connection's I/O loop to the media thread that writes it to the store: the loop
 * {@link #offer}s each chunk as Netty reads it, the media thread reads it as an {@link InputStream}. At most about
 * {@code highBytes} wait here: above that the loop stops reading from the socket (auto-read off), so TCP pushes back on
 * the client while the store is behind, and the media thread turns reading on again once it has taken the queue below
 * {@code lowBytes}. Chunks are the buffers Netty read into, released as they are consumed: nothing is copied on the
 * loop and the blob is never whole in memory.
 */
final class UploadPipe extends InputStream {
    private final Channel channel;
    private final long highBytes;
    private final long lowBytes;
    /** Guarded by this, as every field below. */
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();

    private long queuedBytes;
    private boolean ended;
    private boolean aborted;
    /** The reader stopped (the store is done, or failed): what still comes is dropped. */
    private boolean closed;

    private boolean paused;

    UploadPipe(Channel channel, long highBytes, long lowBytes) {
        this.channel = channel;
        this.highBytes = highBytes;
        this.lowBytes = lowBytes;
    }

    /** The loop hands over a chunk (this pipe releases it); reading stops while the queue is above the mark. */
    void offer(ByteBuf chunk) {
        synchronized (this) {
            if (aborted || closed) {
                chunk.release();
                return;
            }
            chunks.add(chunk);
            queuedBytes += chunk.readableBytes();
            if (queuedBytes > highBytes && !paused) {
                paused = true;
                channel.config().setAutoRead(false);
            }
            notifyAll();
        }
    }

    /** The body's last chunk has come: the reader gets end of stream once it has read the rest. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /**
     * The client went away or the upload was given up: what waits is released, and the reader fails, so the store
     * keeps nothing. Reading resumes on the connection, should it live on.
     */
    synchronized void abort() {
        aborted = true;
        releaseAll();
        resume();
        notifyAll();
    }

    synchronized boolean aborted() {
        return aborted;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        ByteBuf head = awaitChunk();
        if (head == null) {
            return -1;
        }
        int n = Math.min(length, head.readableBytes());
        head.readBytes(into, offset, n);
        queuedBytes -= n;
        if (!head.isReadable()) {
            chunks.poll().release();
        }
        if (paused && queuedBytes < lowBytes) {
            resume();
        }
        return n;
    }

    /** The chunk to read from, waiting for one; null at the end of the body. */
    private ByteBuf awaitChunk() throws IOException {
        while (true) {
            if (aborted) {
                throw new IOException("the upload was aborted: its client went away");
            }
            ByteBuf head = chunks.peek();
            if (head != null && !head.isReadable()) {
                chunks.poll().release();
                continue;
            }
            if (head != null) {
                return head;
            }
            if (ended) {
                return null;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the upload's body", e);
            }
        }
    }

    private void resume() {
        if (paused) {
            paused = false;
            // setAutoRead(true) also asks the channel for a read, on its own loop.
            channel.config().setAutoRead(true);
        }
    }

    private void releaseAll() {
        for (ByteBuf chunk = chunks.poll(); chunk != null; chunk = chunks.poll()) {
            chunk.release();
        }
        queuedBytes = 0;
    }

    /** The store stopped reading, at the end or early: what waits, or comes later, is released. */
    @Override
    public synchronized void close() {
        closed = true;
        releaseAll();
        resume();
    }
}
