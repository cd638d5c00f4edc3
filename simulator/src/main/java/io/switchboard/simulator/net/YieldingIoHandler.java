package io.switchboard.simulator.net;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.local.LocalIoHandler;
import java.util.concurrent.locks.LockSupport;

/**
 * The direct loop's idling: with nothing to run, its thread yields its core for a while before it parks, and a task
 * handed to it wakes it only while it is parked. Netty's {@link LocalIoHandler} parks at once and unparks on every task
 * handed over, so that each outbox record batch a shard hands the direct clients cost that shard a wake of a parked
 * thread (a futex call) and this thread a context switch: 58 of the shards' 887 samples at 550,000 msgs/s on direct,
 * and 23 with this handler; at 700,000 14 and 6 (results/reference/20261208-direct-idle). Channels, which the direct
 * clients do not use, are {@link LocalIoHandler}'s.
 */
final class YieldingIoHandler implements IoHandler {
    /**
     * Idle rounds, each a {@link Thread#yield()}, before the thread parks: some tens of microseconds when the core is
     * free, longer than the gap between two of a busy shard's duty cycles, and short enough that an idle loop costs
     * little (the same CPU a message at 100,000 msgs/s as parking at once).
     */
    private static final int YIELDS_BEFORE_PARK = 64;

    private final IoHandler local;
    /** The loop's thread while it parks (or is about to), else null. */
    private volatile Thread parked;

    private int idleRounds;

    private YieldingIoHandler(IoHandler local) {
        this.local = local;
    }

    static IoHandlerFactory newFactory() {
        IoHandlerFactory local = LocalIoHandler.newFactory();
        return executor -> new YieldingIoHandler(local.newHandler(executor));
    }

    @Override
    public int run(IoHandlerContext context) {
        if (!context.canBlock()) {
            idleRounds = 0;
        } else if (idleRounds < YIELDS_BEFORE_PARK) {
            idleRounds++;
            Thread.yield();
        } else {
            parked = Thread.currentThread();
            // Looked at again after the write: a task handed over before it is seen here, and the hand-over of any
            // later one sees this thread parked and wakes it (both are volatile accesses, so one sees the other).
            if (context.canBlock()) {
                LockSupport.parkNanos(this, context.delayNanos(System.nanoTime()));
            }
            parked = null;
        }
        return 0;
    }

    @Override
    public void wakeup() {
        Thread thread = parked;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return local.register(handle);
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return local.isCompatible(handleType);
    }

    @Override
    public void prepareToDestroy() {
        local.prepareToDestroy();
    }

    @Override
    public void destroy() {
        local.destroy();
    }
}
