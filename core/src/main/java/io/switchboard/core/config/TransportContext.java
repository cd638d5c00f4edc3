package io.switchboard.core.config;

/**
 * Network settings: where the server listens, how many I/O threads it runs, and the limits that keep one client from
 * hurting the others (frame size, idle time, outbound buffer bounds).
 */
public final class TransportContext {
    public static final String HOST_PROP = "server.host";
    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final String PORT_PROP = "server.port";
    public static final int PORT_DEFAULT = 8080;
    public static final String IO_THREADS_PROP = "transport.ioThreads";
    public static final String MAX_FRAME_BYTES_PROP = "transport.maxFrameBytes";
    public static final int MAX_FRAME_BYTES_DEFAULT = 1024 * 1024;
    public static final String IDLE_TIMEOUT_MS_PROP = "transport.idleTimeoutMs";
    public static final long IDLE_TIMEOUT_MS_DEFAULT = 120_000;
    public static final String HELLO_TIMEOUT_MS_PROP = "transport.helloTimeoutMs";
    /** protocol.md, Session: a connection that has not completed hello in this time is closed. */
    public static final long HELLO_TIMEOUT_MS_DEFAULT = 10_000;

    public static final String WRITE_BUFFER_HIGH_BYTES_PROP = "transport.writeBufferHighBytes";
    public static final int WRITE_BUFFER_HIGH_BYTES_DEFAULT = 256 * 1024;
    public static final String WRITE_BUFFER_LOW_BYTES_PROP = "transport.writeBufferLowBytes";
    public static final int WRITE_BUFFER_LOW_BYTES_DEFAULT = 64 * 1024;
    public static final String MAX_OUTBOUND_BYTES_PROP = "transport.maxOutboundBytes";
    public static final int MAX_OUTBOUND_BYTES_DEFAULT = 4 * 1024 * 1024;
    public static final String IN_PROCESS_PROP = "transport.inProcess";
    public static final boolean IN_PROCESS_DEFAULT = false;

    private final String host;
    private final int port;
    private final int ioThreads;
    private final int maxFrameBytes;
    private final long idleTimeoutMs;
    private final long helloTimeoutMs;
    private final int writeBufferHighBytes;
    private final int writeBufferLowBytes;
    private final int maxOutboundBytes;
    private final boolean inProcess;

    private TransportContext(Settings settings) {
        host = settings.string(HOST_PROP, HOST_DEFAULT);
        port = settings.integer(PORT_PROP, PORT_DEFAULT, 0, 65_535);
        ioThreads = settings.integer(IO_THREADS_PROP, Runtime.getRuntime().availableProcessors(), 1, 256);
        maxFrameBytes = settings.integer(MAX_FRAME_BYTES_PROP, MAX_FRAME_BYTES_DEFAULT, 1024, 64 * 1024 * 1024);
        idleTimeoutMs = settings.longValue(IDLE_TIMEOUT_MS_PROP, IDLE_TIMEOUT_MS_DEFAULT, 100, 86_400_000);
        helloTimeoutMs = settings.longValue(HELLO_TIMEOUT_MS_PROP, HELLO_TIMEOUT_MS_DEFAULT, 100, 86_400_000);
        writeBufferHighBytes = settings.integer(
                WRITE_BUFFER_HIGH_BYTES_PROP, WRITE_BUFFER_HIGH_BYTES_DEFAULT, 1024, Integer.MAX_VALUE);
        writeBufferLowBytes =
                settings.integer(WRITE_BUFFER_LOW_BYTES_PROP, WRITE_BUFFER_LOW_BYTES_DEFAULT, 0, writeBufferHighBytes);
        maxOutboundBytes = settings.integer(
                MAX_OUTBOUND_BYTES_PROP,
                Math.max(MAX_OUTBOUND_BYTES_DEFAULT, 2 * maxFrameBytes),
                writeBufferHighBytes,
                Integer.MAX_VALUE);
        inProcess = settings.bool(IN_PROCESS_PROP, IN_PROCESS_DEFAULT);
        if (maxOutboundBytes < maxFrameBytes) {
            throw new ConfigException("'" + MAX_OUTBOUND_BYTES_PROP + "' (" + maxOutboundBytes + ") must be at least '"
                    + MAX_FRAME_BYTES_PROP + "' (" + maxFrameBytes + ")");
        }
    }

    public static TransportContext from(Settings settings) {
        return new TransportContext(settings);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /** How long a WebSocket connection may go without a successful hello before it is closed. */
    public long helloTimeoutMs() {
        return helloTimeoutMs;
    }

    /** Above this many pending outbound bytes a channel is unwritable and the server stops reading from it. */
    public int writeBufferHighBytes() {
        return writeBufferHighBytes;
    }

    public int writeBufferLowBytes() {
        return writeBufferLowBytes;
    }

    /** A connection whose unsent bytes exceed this is closed as a slow consumer; unacked messages stay queued. */
    public int maxOutboundBytes() {
        return maxOutboundBytes;
    }

    /** Whether the server also listens on an in-process address (a Netty {@code LocalServerChannel}). */
    public boolean inProcess() {
        return inProcess;
    }

    @Override
    public String toString() {
        return "host=" + host + " port=" + port + " ioThreads=" + ioThreads + " maxFrameBytes=" + maxFrameBytes
                + " idleTimeoutMs=" + idleTimeoutMs + " helloTimeoutMs=" + helloTimeoutMs + " writeBufferBytes="
                + writeBufferLowBytes + ".."
                + writeBufferHighBytes + " maxOutboundBytes=" + maxOutboundBytes + " inProcess=" + inProcess;
    }
}
