package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;
import static io.switchboard.core.transport.RequestGuards.allowed;
import static io.switchboard.core.transport.RequestGuards.authenticated;
import static io.switchboard.core.transport.RequestGuards.blocking;
import static io.switchboard.core.transport.RequestGuards.overLimit;
import static io.switchboard.core.transport.RequestGuards.pathNumber;
import static io.switchboard.core.transport.RequestGuards.unavailable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.DeviceId;
import io.switchboard.core.config.KeysContext;
import io.switchboard.core.keys.DeviceBundle;
import io.switchboard.core.keys.KeyBundle;
import io.switchboard.core.keys.KeyCounts;
import io.switchboard.core.keys.KeySignatures;
import io.switchboard.core.keys.KeyStore;
import io.switchboard.core.keys.KeyUpload;
import io.switchboard.core.keys.UploadResult;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.protocol.ProtocolLimits;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * protocol.md's Keys: {@code PUT /v1/keys}, {@code GET /v1/keys/{user}[/{device}]} and {@code GET /v1/keys/count}.
 * Uploads (parsed and their signatures checked there too) and fetches wait for the key log's force, so they run on the
 * blocking executor; counts read memory and are answered at once. A fetch that leaves a device with few one-time keys
 * sends it {@code keys.low}. Thread-safe: one for all connections.
 */
final class KeyEndpoints {
    static final String KEYS = "/v1/keys";
    static final String COUNT = "/v1/keys/count";
    private static final String PREFIX = KEYS + "/";

    private final AccountStore accounts;
    private final KeyStore keys;
    private final KeysContext context;
    private final Executor blockingWork;
    private final AccountEndpoints.AddressLimiter addressLimits;
    private final Function<Channel, CounterSet<LoopCounter>> loopCounters;
    private final LowKeys lowKeys;

    /** Sends {@code keys.low} to the device's session, if it has one. */
    @FunctionalInterface
    interface LowKeys {
        void send(long user, int device, KeyCounts left);
    }

    /** @param loopCounters the counters of the I/O loop a channel is on, where key requests are counted */
    KeyEndpoints(
            AccountStore accounts,
            KeyStore keys,
            KeysContext context,
            Executor blockingWork,
            AccountEndpoints.AddressLimiter addressLimits,
            Function<Channel, CounterSet<LoopCounter>> loopCounters,
            LowKeys lowKeys) {
        this.accounts = accounts;
        this.keys = keys;
        this.context = context;
        this.blockingWork = blockingWork;
        this.addressLimits = addressLimits;
        this.loopCounters = loopCounters;
        this.lowKeys = lowKeys;
    }

    /** Answers the request if {@code path} is one of these endpoints; false when it is not. */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
        boolean upload = path.equals(KEYS);
        if (!upload && !path.startsWith(PREFIX)) {
            return false;
        }
        if (!allowed(ctx, keepAlive, request.method(), upload ? HttpMethod.PUT : HttpMethod.GET)) {
            return true;
        }
        if (upload) {
            upload(ctx, request, keepAlive);
        } else if (path.equals(COUNT)) {
            count(ctx, request, keepAlive);
        } else {
            fetch(ctx, request, path.substring(PREFIX.length()), keepAlive);
        }
        return true;
    }

    private void upload(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        DeviceId caller = authenticated(accounts, ctx, request, keepAlive);
        if (caller == null) {
            return;
        }
        CounterSet<LoopCounter> counters = loopCounters.apply(ctx.channel());
        // The request is released when this handler returns; the body lives on until the upload is read.
        ByteBuf body = request.content().retain();
        Runnable work = () -> {
            try {
                store(ctx, keepAlive, caller, body, counters);
            } finally {
                body.release();
            }
        };
        if (!blocking(blockingWork, ctx, keepAlive, work)) {
            body.release();
        }
    }

    private void store(
            ChannelHandlerContext ctx,
            boolean keepAlive,
            DeviceId caller,
            ByteBuf body,
            CounterSet<LoopCounter> counters) {
        KeyUpload upload;
        try (ByteBufInputStream in = new ByteBufInputStream(body)) {
            upload = KeySignatures.verified(KeyJson.upload(HttpResponses.JSON.readTree(in)));
        } catch (IOException | IllegalArgumentException e) {
            HttpResponses.badRequest(ctx, keepAlive, e.getMessage());
            return;
        }
        UploadResult result;
        try {
            boolean primary = accounts.primary(caller.user()) == caller.device();
            result = keys.upload(caller.user(), caller.device(), primary, upload);
        } catch (RuntimeException e) {
            unavailable(ctx, keepAlive, "cannot store the keys: " + e.getMessage());
            return;
        }
        switch (result.status()) {
            case STORED -> {
                counters.incrementAtomic(LoopCounter.KEY_UPLOADS);
                respond(ctx, keepAlive, HttpResponseStatus.OK, KeyJson.counts(result.counts()));
            }
            case IDENTITY_CONFLICT ->
                respond(ctx, keepAlive, HttpResponseStatus.CONFLICT, error(HttpResponses.CONFLICT, result.message()));
            case TOO_MANY_KEYS ->
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        error(HttpResponses.TOO_MANY_KEYS, result.message()));
        }
    }

    /** {@code GET /v1/keys/count}: the caller's own counts, from memory. */
    private void count(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        DeviceId caller = authenticated(accounts, ctx, request, keepAlive);
        if (caller != null) {
            respond(ctx, keepAlive, HttpResponseStatus.OK, KeyJson.counts(keys.count(caller.user(), caller.device())));
        }
    }

    private void fetch(ChannelHandlerContext ctx, FullHttpRequest request, String target, boolean keepAlive) {
        int slash = target.indexOf('/');
        long user = pathNumber(slash < 0 ? target : target.substring(0, slash), ProtocolLimits.MAX_ID);
        int device = slash < 0 ? 0 : (int) pathNumber(target.substring(slash + 1), ProtocolLimits.MAX_DEVICE);
        if (user == 0 || (slash >= 0 && device == 0)) {
            HttpResponses.badRequest(
                    ctx,
                    keepAlive,
                    "expected " + PREFIX + "{user} or " + PREFIX + "{user}/{device}, with a user in 1.."
                            + ProtocolLimits.MAX_ID + " and a device in 1.." + ProtocolLimits.MAX_DEVICE);
            return;
        }
        if (overLimit(addressLimits, ctx, keepAlive, LimitKind.KEY_FETCH)
                || authenticated(accounts, ctx, request, keepAlive) == null) {
            return;
        }
        CounterSet<LoopCounter> counters = loopCounters.apply(ctx.channel());
        blocking(blockingWork, ctx, keepAlive, () -> handOut(ctx, keepAlive, user, device, counters));
    }

    private void handOut(
            ChannelHandlerContext ctx, boolean keepAlive, long user, int device, CounterSet<LoopCounter> counters) {
        counters.incrementAtomic(LoopCounter.KEY_FETCHES);
        KeyBundle bundle;
        try {
            bundle = keys.fetch(user, device);
        } catch (RuntimeException e) {
            unavailable(ctx, keepAlive, "cannot hand out keys: " + e.getMessage());
            return;
        }
        if (bundle == null) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.NOT_FOUND,
                    error(
                            HttpResponses.NOT_FOUND,
                            "user " + user + (device == 0 ? "" : " device " + device) + " has no keys uploaded"));
            return;
        }
        for (int i = 0; i < bundle.handedOut(); i++) {
            counters.incrementAtomic(LoopCounter.KEYS_HANDED_OUT);
        }
        for (DeviceBundle served : bundle.devices()) {
            KeyCounts left = served.left();
            if (context.low(left.preKeys(), left.kyberPreKeys())) {
                lowKeys.send(user, served.device(), left);
            }
        }
        respond(ctx, keepAlive, HttpResponseStatus.OK, KeyJson.bundle(bundle));
    }
}
