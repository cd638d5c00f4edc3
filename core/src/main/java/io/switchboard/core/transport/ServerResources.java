package io.switchboard.core.transport;

import io.netty.channel.EventLoop;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.Routing;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.keys.KeyCounts;
import io.switchboard.core.router.ConnectionRef;
import io.switchboard.core.router.Router;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The server-wide things every connection handler needs: configuration, accounts, the router, the per-loop resources
 * and connection references. The loop map is filled before the server accepts anything and only read afterwards.
 */
final class ServerResources {
    private final ServerContext context;
    private final AccountStore accounts;
    private final Map<EventLoop, LoopResources> loops = new IdentityHashMap<>();
    /** The same loops by {@link ConnectionRef#loopIndex}. */
    private final List<LoopResources> loopsByIndex;

    private final AtomicLong connectionSerial = new AtomicLong();
    /** Every open session by reference, for locked routing, which writes to any connection from any I/O thread. */
    private final ConcurrentHashMap<Long, SessionHandler> sessions;

    private final boolean locked;

    private Router router;

    ServerResources(ServerContext context, AccountStore accounts, List<LoopResources> loopResources) {
        this.context = context;
        this.accounts = accounts;
        for (LoopResources loop : loopResources) {
            loops.put((EventLoop) loop.executor(), loop);
        }
        this.loopsByIndex = List.copyOf(loopResources);
        this.locked = context.router().routing() == Routing.LOCKED;
        this.sessions = locked ? new ConcurrentHashMap<>() : null;
    }

    void router(Router router) {
        this.router = router;
    }

    ServerContext context() {
        return context;
    }

    AccountStore accounts() {
        return accounts;
    }

    Router router() {
        return router;
    }

    LoopResources loop(EventLoop eventLoop) {
        return loops.get(eventLoop);
    }

    long nextConnection(int loopIndex) {
        return ConnectionRef.of(connectionSerial.incrementAndGet(), loopIndex);
    }

    /**
     * Whether sends must be refused because an I/O loop is behind on its writes ({@link LoopResources#behind}): locked
     * routing only, which applies a send on the thread that read it and queues its ack and message as tasks on the
     * loops of the sender's and the recipient's channels. Any loop, not only the reader's: the recipient's loop is
     * known only under the stripe's lock. Sharded routing bounds the same work by its outboxes (Admission).
     */
    boolean loopsBehind() {
        if (!locked) {
            return false;
        }
        for (int i = 0, n = loopsByIndex.size(); i < n; i++) {
            if (loopsByIndex.get(i).behind()) {
                return true;
            }
        }
        return false;
    }

    /** Finds a session from any thread (locked routing only). */
    ConnectionLookup sessions() {
        return sessions::get;
    }

    /**
     * Closes the session on {@code connection}, from any thread, because the token it opened with was rotated. The
     * close runs on the connection's own loop, after the hello that opened it (the account recorded the session
     * there).
     */
    void closeRotated(long connection) {
        onSession(connection, SessionHandler::tokenRotated);
    }

    /** Sends {@code keys.low}, from any thread, to the device's session if it has one. */
    void keysLow(long user, int device, KeyCounts left) {
        long connection = accounts.session(user, device);
        if (connection != 0) {
            onSession(connection, session -> session.keysLow(left.preKeys(), left.kyberPreKeys()));
        }
    }

    /** Runs {@code action} on the connection's own loop, if the connection is still open then. */
    private void onSession(long connection, Consumer<SessionHandler> action) {
        LoopResources loop = loopsByIndex.get(ConnectionRef.loopIndex(connection));
        try {
            loop.executor().execute(() -> {
                SessionHandler session = loop.find(connection);
                if (session != null) {
                    action.accept(session);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // The loop is stopping and closes every connection itself.
        }
    }

    void register(SessionHandler handler) {
        loops.get(handler.eventLoop()).register(handler);
        if (sessions != null) {
            sessions.put(handler.connection(), handler);
        }
    }

    void unregister(SessionHandler handler) {
        loops.get(handler.eventLoop()).unregister(handler);
        if (sessions != null) {
            sessions.remove(handler.connection());
        }
    }
}
