package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;
import static io.switchboard.core.transport.RequestGuards.allowed;
import static io.switchboard.core.transport.RequestGuards.unavailable;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.DeviceId;
import io.switchboard.core.accounts.DeviceInfo;
import io.switchboard.core.accounts.LinkCode;
import io.switchboard.core.accounts.RegistrationResult;
import io.switchboard.core.accounts.RemovalResult;
import io.switchboard.core.config.AccountsContext;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.push.PushPlatform;
import io.switchboard.core.push.PushRegistration;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * protocol.md's Accounts and devices: {@code POST /v1/accounts} (a new account, a token's rotation, or a device
 * linked with a code), {@code POST /v1/devices/link}, {@code GET /v1/devices} and {@code DELETE /v1/devices/{d}}, which
 * drops the removed device's keys too; and a device's push registration, kept with it: {@code PUT} and {@code DELETE
 * /v1/push}.
 * What forces the account log to disk (registering, removing) runs on the blocking executor, never on an I/O loop;
 * issuing a code and listing devices touch memory only and are answered at once. Thread-safe: one for all connections.
 */
final class AccountEndpoints {
    static final String ACCOUNTS = "/v1/accounts";
    static final String DEVICES = "/v1/devices";
    static final String LINK = "/v1/devices/link";
    static final String PUSH = "/v1/push";
    static final String REGISTRATION_KEY_HEADER = "X-Registration-Key";

    private static final Logger LOG = LoggerFactory.getLogger(AccountEndpoints.class);
    private static final String DEVICE_PREFIX = DEVICES + "/";
    /** How often, and how long, a removal retries telling the owner of the user's state while its inbox is full. */
    private static final long OWNER_RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private static final long OWNER_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AccountStore accounts;
    private final RemovedDevices keys;
    private final byte[] registrationKey;
    private final Executor blockingWork;
    private final RemovedOwners owners;
    private final LongConsumer rotatedSessions;
    private final AddressLimiter addressLimits;
    private final PrivacyEndpoints privacy;

    /** Tells the owner of a user's state that a device of the user was removed ({@code Router.removeDevice}). */
    @FunctionalInterface
    interface RemovedOwners {
        /** False when the owner cannot take it now (a full inbox): retry. */
        boolean removed(long user, int device);
    }

    /** Drops the keys of a removed device ({@code KeyStore.removeDevice}). */
    @FunctionalInterface
    interface RemovedDevices {
        void removed(long user, int device);
    }

    /** The per-address rate limits of the loop a channel is on, which owns them (see {@code AddressLimits}). */
    @FunctionalInterface
    interface AddressLimiter {
        /** Takes one {@code kind} for the channel's remote address: 0, or nanoseconds until it may (counted). */
        long take(Channel channel, LimitKind kind);
    }

    /**
     * @param keys drops the keys of a removed device
     * @param rotatedSessions closes, from any thread, the session on a connection whose token was rotated
     * @param addressLimits the per-address limits of registrations and link codes
     */
    AccountEndpoints(
            AccountStore accounts,
            RemovedDevices keys,
            String registrationKey,
            Executor blockingWork,
            RemovedOwners owners,
            LongConsumer rotatedSessions,
            AddressLimiter addressLimits) {
        this.accounts = accounts;
        this.keys = keys;
        this.addressLimits = addressLimits;
        this.registrationKey = registrationKey == null ? null : registrationKey.getBytes(StandardCharsets.UTF_8);
        this.blockingWork = blockingWork;
        this.owners = owners;
        this.rotatedSessions = rotatedSessions;
        this.privacy = new PrivacyEndpoints(this, accounts);
    }

    /** Answers the request if {@code path} is one of these endpoints or {@link PrivacyEndpoints}'; false if not. */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
        HttpMethod method = request.method();
        if (path.equals(ACCOUNTS)) {
            if (allowed(ctx, keepAlive, method, HttpMethod.POST)) {
                register(ctx, request, keepAlive);
            }
        } else if (path.equals(LINK)) {
            if (allowed(ctx, keepAlive, method, HttpMethod.POST)) {
                link(ctx, request, keepAlive);
            }
        } else if (path.equals(DEVICES)) {
            if (allowed(ctx, keepAlive, method, HttpMethod.GET)) {
                list(ctx, request, keepAlive);
            }
        } else if (path.equals(PUSH)) {
            if (method.equals(HttpMethod.DELETE)) {
                unregisterPush(ctx, request, keepAlive);
            } else if (allowed(ctx, keepAlive, method, HttpMethod.PUT)) {
                registerPush(ctx, request, keepAlive);
            }
        } else if (path.startsWith(DEVICE_PREFIX)) {
            if (allowed(ctx, keepAlive, method, HttpMethod.DELETE)) {
                remove(ctx, request, path.substring(DEVICE_PREFIX.length()), keepAlive);
            }
        } else {
            return privacy.handle(ctx, request, path, keepAlive);
        }
        return true;
    }

    /** As {@link RequestGuards#overLimit}, on this loop's address limits; for {@link PrivacyEndpoints} too. */
    boolean overLimit(ChannelHandlerContext ctx, boolean keepAlive, LimitKind kind) {
        return RequestGuards.overLimit(addressLimits, ctx, keepAlive, kind);
    }

    private void register(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        if (overLimit(ctx, keepAlive, LimitKind.REGISTRATION)) {
            return;
        }
        if (registrationKey != null) {
            String presented = request.headers().get(REGISTRATION_KEY_HEADER);
            if (presented == null
                    || !MessageDigest.isEqual(registrationKey, presented.getBytes(StandardCharsets.UTF_8))) {
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.FORBIDDEN,
                        error(HttpResponses.FORBIDDEN, "a valid " + REGISTRATION_KEY_HEADER + " header is required"));
                return;
            }
        }
        long user;
        int device;
        String linkCode;
        try (ByteBufInputStream in = new ByteBufInputStream(request.content())) {
            JsonNode body = HttpResponses.JSON.readTree(in);
            user = id(body, "user", ProtocolLimits.MAX_ID);
            device = (int) id(body, "device", ProtocolLimits.MAX_DEVICE);
            linkCode = linkCode(body);
        } catch (IOException e) {
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error(HttpResponses.BAD_REQUEST, e.getMessage()));
            return;
        }
        String current = HttpResponses.bearer(request);
        blocking(ctx, keepAlive, () -> {
            RegistrationResult result;
            try {
                result = accounts.register(user, device, current, linkCode);
            } catch (RuntimeException e) {
                unavailable(ctx, keepAlive, "cannot store the account: " + e.getMessage());
                return;
            }
            if (result.oldSession() != 0) {
                rotatedSessions.accept(result.oldSession());
            }
            registered(ctx, keepAlive, user, device, result);
        });
    }

    private static void registered(
            ChannelHandlerContext ctx, boolean keepAlive, long user, int device, RegistrationResult result) {
        switch (result.status()) {
            case CREATED, LINKED ->
                respond(ctx, keepAlive, HttpResponseStatus.CREATED, Map.of("token", result.token()));
            case ROTATED -> respond(ctx, keepAlive, HttpResponseStatus.OK, Map.of("token", result.token()));
            case CONFLICT ->
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.CONFLICT,
                        error(
                                HttpResponses.CONFLICT,
                                "user " + user + " has an account: to rotate device " + device
                                        + "'s token send its current token as a Bearer token; a new device joins with a"
                                        + " linkCode from the primary device (POST " + LINK + ")"));
            case LINK_REFUSED ->
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.FORBIDDEN,
                        error(
                                HttpResponses.LINK_CODE,
                                "the link code is unknown, used, replaced, expired or for another account"));
            case TOO_MANY_DEVICES ->
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.FORBIDDEN,
                        error(
                                HttpResponses.TOO_MANY_DEVICES,
                                "user " + user + " has " + ProtocolLimits.MAX_DEVICES_PER_ACCOUNT
                                        + " devices, the most an account may have: remove one first"));
            case FULL ->
                unavailable(
                        ctx,
                        keepAlive,
                        "the server holds as many accounts as it may (" + AccountsContext.MAX_ACCOUNTS_PROP
                                + "): no new account can be created");
        }
    }

    /** {@code POST /v1/devices/link}: a code for the caller's account, if the caller is its primary. */
    private void link(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        DeviceId caller = limitedCaller(ctx, request, keepAlive, LimitKind.LINK_CODE);
        if (caller == null) {
            return;
        }
        Optional<LinkCode> code = accounts.linkCode(caller);
        if (code.isEmpty()) {
            notPrimary(ctx, keepAlive, "links devices");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code.get().code());
        body.put("expiresInMs", code.get().expiresInMs());
        respond(ctx, keepAlive, HttpResponseStatus.OK, body);
    }

    /** {@code GET /v1/devices}: the caller's account's devices. */
    private void list(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        DeviceId caller = authenticated(ctx, request, keepAlive);
        if (caller == null) {
            return;
        }
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceInfo info : accounts.devices(caller.user())) {
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("device", info.device());
            device.put("primary", info.primary());
            if (info.createdMs() > 0) {
                device.put("created", info.createdMs());
            }
            if (info.lastSeenMs() > 0) {
                device.put("lastSeen", info.lastSeenMs());
            }
            device.put("online", info.online());
            devices.add(device);
        }
        respond(ctx, keepAlive, HttpResponseStatus.OK, Map.of("devices", devices));
    }

    /** {@code DELETE /v1/devices/{d}}: the primary removes a companion; then its owner ends what it holds. */
    private void remove(ChannelHandlerContext ctx, FullHttpRequest request, String deviceText, boolean keepAlive) {
        int device = deviceNumber(deviceText);
        if (device == 0) {
            HttpResponses.badRequest(
                    ctx,
                    keepAlive,
                    "expected " + DEVICE_PREFIX + "{device} with a device in 1.." + ProtocolLimits.MAX_DEVICE);
            return;
        }
        DeviceId caller = authenticated(ctx, request, keepAlive);
        if (caller == null) {
            return;
        }
        blocking(ctx, keepAlive, () -> {
            RemovalResult result;
            try {
                result = accounts.remove(caller, device);
            } catch (RuntimeException e) {
                unavailable(ctx, keepAlive, "cannot store the removal: " + e.getMessage());
                return;
            }
            switch (result) {
                case REMOVED -> {
                    dropKeys(caller.user(), device);
                    tellOwner(caller.user(), device);
                    HttpResponses.noContent(ctx, keepAlive);
                }
                case NOT_PRIMARY -> notPrimary(ctx, keepAlive, "removes devices");
                case PRIMARY ->
                    respond(
                            ctx,
                            keepAlive,
                            HttpResponseStatus.FORBIDDEN,
                            error(HttpResponses.FORBIDDEN, "the primary device cannot be removed"));
                case NO_SUCH_DEVICE ->
                    respond(
                            ctx,
                            keepAlive,
                            HttpResponseStatus.NOT_FOUND,
                            error(HttpResponses.NOT_FOUND, "user " + caller.user() + " has no device " + device));
            }
        });
    }

    /** The removed device's keys go too; when the key log fails, the next start drops them ({@code KeyStore.open}). */
    private void dropKeys(long user, int device) {
        try {
            keys.removed(user, device);
        } catch (RuntimeException e) {
            LOG.error(
                    "device {} of user {} is removed from its account, but its keys could not be dropped",
                    device,
                    user,
                    e);
        }
    }

    /**
     * {@code PUT /v1/push}: the caller's push registration, forced to the account log before the 204. Counted against
     * the address's registration rate, since each one that changes something writes the log.
     */
    private void registerPush(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        DeviceId caller = limitedCaller(ctx, request, keepAlive, LimitKind.REGISTRATION);
        if (caller == null) {
            return;
        }
        PushRegistration registration;
        try (ByteBufInputStream in = new ByteBufInputStream(request.content())) {
            JsonNode body = HttpResponses.JSON.readTree(in);
            PushPlatform platform =
                    body == null ? null : PushPlatform.of(body.path("platform").asText(""));
            if (platform == null) {
                throw new IllegalArgumentException("'platform' must be apns, fcm or sim");
            }
            registration = new PushRegistration(platform, body.path("token").textValue());
        } catch (IOException | IllegalArgumentException e) {
            HttpResponses.badRequest(
                    ctx, keepAlive, "expected {\"platform\":\"apns|fcm|sim\",\"token\":\"...\"}: " + e.getMessage());
            return;
        }
        changePush(ctx, keepAlive, () -> accounts.pushes().register(caller, registration));
    }

    /** {@code DELETE /v1/push}: the caller is pushed no more; 204 whether it had a registration or not. */
    private void unregisterPush(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        DeviceId caller = authenticated(ctx, request, keepAlive);
        if (caller == null) {
            return;
        }
        changePush(ctx, keepAlive, () -> accounts.pushes().unregister(caller.user(), caller.device(), null));
    }

    /** Makes a change to a push registration on the blocking executor (it forces the log), then answers 204. */
    private void changePush(ChannelHandlerContext ctx, boolean keepAlive, Runnable change) {
        blocking(ctx, keepAlive, () -> {
            try {
                change.run();
            } catch (RuntimeException e) {
                unavailable(ctx, keepAlive, "cannot store the push registration: " + e.getMessage());
                return;
            }
            HttpResponses.noContent(ctx, keepAlive);
        });
    }

    /**
     * Hands the removal to the owner of the user's state, waiting while its inbox is full. The account has changed
     * already, so the device can do nothing new meanwhile; an owner that stays full past the patience only delays the
     * close of its session, and its queue is dropped at the next start if not before.
     */
    private void tellOwner(long user, int device) {
        try {
            waitForOwner(user, device);
        } catch (RuntimeException e) {
            // Locked routing runs the owner's drop on this thread: its failure must not leave the request unanswered.
            LOG.error(
                    "device {} of user {} is removed from its account, but its owner failed to drop it",
                    device,
                    user,
                    e);
        }
    }

    private void waitForOwner(long user, int device) {
        long deadline = System.nanoTime() + OWNER_PATIENCE_NANOS;
        while (!owners.removed(user, device)) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn(
                        "device {} of user {} is removed from its account, but its owner took no command for {} s:"
                                + " its session stays open until it closes",
                        device,
                        user,
                        TimeUnit.NANOSECONDS.toSeconds(OWNER_PATIENCE_NANOS));
                return;
            }
            LockSupport.parkNanos(OWNER_RETRY_NANOS);
        }
    }

    /** As {@link #authenticated}, after taking one {@code kind} of the address's rate (null after answering 429). */
    private DeviceId limitedCaller(
            ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, LimitKind kind) {
        return overLimit(ctx, keepAlive, kind) ? null : authenticated(ctx, request, keepAlive);
    }

    /** As {@link RequestGuards#authenticated}, against this server's accounts; for {@link PrivacyEndpoints} too. */
    DeviceId authenticated(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        return RequestGuards.authenticated(accounts, ctx, request, keepAlive);
    }

    private static void notPrimary(ChannelHandlerContext ctx, boolean keepAlive, String what) {
        respond(
                ctx,
                keepAlive,
                HttpResponseStatus.FORBIDDEN,
                error(HttpResponses.FORBIDDEN, "only the account's primary device " + what));
    }

    /** As {@link RequestGuards#blocking}, on the account changes' executor; for {@link PrivacyEndpoints} too. */
    void blocking(ChannelHandlerContext ctx, boolean keepAlive, Runnable work) {
        RequestGuards.blocking(blockingWork, ctx, keepAlive, work);
    }

    /** A positive integer field no larger than {@code max}; checked before narrowing, so nothing wraps. */
    private static long id(JsonNode body, String field, long max) throws IOException {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null
                || !node.isIntegralNumber()
                || node.bigIntegerValue().signum() <= 0
                || node.bigIntegerValue().compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IOException("expected {\"user\": 1.." + ProtocolLimits.MAX_ID + ", \"device\": 1.."
                    + ProtocolLimits.MAX_DEVICE + "}; '" + field + "' is " + node);
        }
        return node.longValue();
    }

    /** The optional {@code linkCode}: a string of at most a token's length, or null when absent. */
    private static String linkCode(JsonNode body) throws IOException {
        JsonNode node = body.get("linkCode");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()
                || node.textValue().isEmpty()
                || node.textValue().length() > ProtocolLimits.MAX_TOKEN_LENGTH) {
            throw new IOException("'linkCode' must be the code from POST " + LINK + "; it is " + node);
        }
        return node.textValue();
    }

    /** The device of {@code /v1/devices/{d}}: 1..MAX_DEVICE in plain digits, or 0 for anything else. */
    private static int deviceNumber(String text) {
        return (int) RequestGuards.pathNumber(text, ProtocolLimits.MAX_DEVICE);
    }
}
