package io.switchboard.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Network settings: where the server listens, how many I/O threads it runs, and the limits that keep one client from
 * hurting the others (frame size, idle time, outbound buffer bounds).
 */
public final class TransportContext {
    public static final String HOST_PROP = "server.host";
    public static final String HOST_DEFAULT = "127.0.0.1";
    public static final String PORT_PROP = "server.port";
    public static final int PORT_DEFAULT = 8080;
    public static final String ADMIN_HOST_PROP = "server.adminHost";
    public static final String ADMIN_HOST_DEFAULT = "127.0.0.1";
    public static final String ADMIN_PORT_PROP = "server.adminPort";
    /**
     * No admin address of its own: {@code /metrics} and {@code /dashboard} are on the public port while that is bound
     * to a loopback address, and otherwise on the admin host at the public port + 1.
     */
    public static final int ADMIN_PORT_DEFAULT = -1;

    public static final String MAX_DASHBOARD_STREAMS_PROP = "transport.maxDashboardStreams";
    public static final int MAX_DASHBOARD_STREAMS_DEFAULT = 8;
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
    public static final String LOOP_HIGH_TASKS_PROP = "transport.loopHighTasks";
    /**
     * About 70 ms of an in-process loop's writes at its capacity: locked routing queues one task per frame (a send's ack
     * and its message), and the in-process loop took about 29,000 sends/s (results/reference/20261206-overload-goodput).
     * Long enough to ride out a burst, short against the 100 ms a refused client waits.
     */
    public static final int LOOP_HIGH_TASKS_DEFAULT = 4096;

    public static final String IN_PROCESS_PROP = "transport.inProcess";
    public static final boolean IN_PROCESS_DEFAULT = false;

    private final String host;
    private final int port;
    private final String adminHost;
    /** Where metrics and the dashboard are served apart from the public port; -1 when they are served on it. */
    private final int adminPort;

    private final int maxDashboardStreams;
    private final int ioThreads;
    private final int maxFrameBytes;
    private final long idleTimeoutMs;
    private final long helloTimeoutMs;
    private final int writeBufferHighBytes;
    private final int writeBufferLowBytes;
    private final int maxOutboundBytes;
    private final int loopHighTasks;
    private final boolean inProcess;

    private TransportContext(Settings settings) {
        host = settings.string(HOST_PROP, HOST_DEFAULT);
        port = settings.integer(PORT_PROP, PORT_DEFAULT, 0, 65_535);
        adminHost = settings.string(ADMIN_HOST_PROP, ADMIN_HOST_DEFAULT);
        int admin = settings.integer(ADMIN_PORT_PROP, ADMIN_PORT_DEFAULT, -1, 65_535);
        if (admin == ADMIN_PORT_DEFAULT && !loopback(host)) {
            // Metrics and the dashboard tell who is online and how busy the server is: never on a public address.
            admin = port == 0 ? 0 : port + 1;
        }
        if (admin > 65_535 || (admin == port && admin != 0 && adminHost.equals(host))) {
            throw new ConfigException("'" + ADMIN_PORT_PROP + "' (" + admin + ") must be a free port other than '"
                    + PORT_PROP + "' (" + port + "); set it explicitly");
        }
        adminPort = admin;
        maxDashboardStreams = settings.integer(MAX_DASHBOARD_STREAMS_PROP, MAX_DASHBOARD_STREAMS_DEFAULT, 0, 1_024);
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
        loopHighTasks = settings.integer(LOOP_HIGH_TASKS_PROP, LOOP_HIGH_TASKS_DEFAULT, 1, Integer.MAX_VALUE);
        inProcess = settings.bool(IN_PROCESS_PROP, IN_PROCESS_DEFAULT);
        if (maxOutboundBytes < maxFrameBytes) {
            throw new ConfigException("'" + MAX_OUTBOUND_BYTES_PROP + "' (" + maxOutboundBytes + ") must be at least '"
                    + MAX_FRAME_BYTES_PROP + "' (" + maxFrameBytes + ")");
        }
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
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

    /** Whether metrics and the dashboard have an address of their own ({@link #adminHost}, {@link #adminPort}). */
    public boolean separateAdmin() {
        return adminPort >= 0;
    }

    public String adminHost() {
        return adminHost;
    }

    /** The admin port ({@code 0} picks a free one); -1 when metrics and the dashboard are on the public port. */
    public int adminPort() {
        return adminPort;
    }

    /** Dashboard streams open at once; a browser beyond them gets 503. */
    public int maxDashboardStreams() {
        return maxDashboardStreams;
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

    /**
     * Tasks queued on an I/O loop above which it is behind on what it already has to write: its connections' new sends
     * are then refused with {@code unavailable} before they reach the router.
     */
    public int loopHighTasks() {
        return loopHighTasks;
    }

    /** Whether the server also listens on an in-process address (a Netty {@code LocalServerChannel}). */
    public boolean inProcess() {
        return inProcess;
    }

    @Override
    public String toString() {
        return "host=" + host + " port=" + port + (separateAdmin() ? " admin=" + adminHost + ":" + adminPort : "")
                + " maxDashboardStreams=" + maxDashboardStreams + " ioThreads=" + ioThreads + " maxFrameBytes="
                + maxFrameBytes
                + " idleTimeoutMs=" + idleTimeoutMs + " helloTimeoutMs=" + helloTimeoutMs + " writeBufferBytes="
                + writeBufferLowBytes + ".."
                + writeBufferHighBytes + " maxOutboundBytes=" + maxOutboundBytes + " loopHighTasks=" + loopHighTasks
                + " inProcess=" + inProcess;
    }
}
