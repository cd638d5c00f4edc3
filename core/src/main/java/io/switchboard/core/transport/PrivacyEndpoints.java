package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.DeviceId;
import io.switchboard.core.accounts.GroupAddPrivacy;
import io.switchboard.core.accounts.PrivacySettings;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.protocol.ProtocolLimits;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Group privacy (an extension, docs/protocol-notes.md): {@code GET/PUT /v1/settings/privacy} read and set who may add
 * the caller's user to a group, {@code GET/PUT /v1/contacts} the contact list that {@code contacts} consults. Any
 * device of the account may call them; a PUT takes a {@code privacy-change} from its address's rate. A change forces
 * the account log, so it runs on the blocking executor, through {@link AccountEndpoints}; reads touch memory only and
 * are answered at once. Thread-safe: one for all connections.
 */
final class PrivacyEndpoints {
    static final String PRIVACY = "/v1/settings/privacy";
    static final String CONTACTS = "/v1/contacts";

    private static final String SETTINGS_SHAPE = "expected {\"groupAdd\": \"everyone\" | \"contacts\" | \"nobody\"}";
    private static final String CONTACTS_SHAPE = "expected {\"users\": [user, ...]} with at most "
            + PrivacySettings.MAX_CONTACTS + " users in 1.." + ProtocolLimits.MAX_ID;

    private final AccountEndpoints endpoints;
    private final AccountStore accounts;

    PrivacyEndpoints(AccountEndpoints endpoints, AccountStore accounts) {
        this.endpoints = endpoints;
        this.accounts = accounts;
    }

    /** Answers the request if {@code path} is one of these endpoints; false when it is not. */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
        boolean settings = path.equals(PRIVACY);
        if (!settings && !path.equals(CONTACTS)) {
            return false;
        }
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.PUT)) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    error(HttpResponses.METHOD_NOT_ALLOWED, "use GET or PUT"));
            return true;
        }
        DeviceId caller = endpoints.authenticated(ctx, request, keepAlive);
        if (caller == null) {
            return true;
        }
        long user = caller.user();
        if (method.equals(HttpMethod.GET)) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.OK,
                    settings
                            ? Map.of(
                                    "groupAdd",
                                    accounts.privacy().groupAdd(user).wireName())
                            : Map.of("users", accounts.privacy().contacts(user)));
        } else if (!endpoints.overLimit(ctx, keepAlive, LimitKind.PRIVACY_CHANGE)) {
            change(ctx, request, keepAlive, user, settings);
        }
        return true;
    }

    /** A PUT within its rate: the setting, or the contact list, as the body says; 400 for a body that says neither. */
    private void change(
            ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, long user, boolean settings) {
        if (settings) {
            GroupAddPrivacy setting = groupAdd(request);
            if (setting == null) {
                HttpResponses.badRequest(ctx, keepAlive, SETTINGS_SHAPE);
            } else {
                store(ctx, keepAlive, () -> accounts.privacy().groupAdd(user, setting));
            }
        } else {
            long[] contacts = contacts(request);
            if (contacts == null) {
                HttpResponses.badRequest(ctx, keepAlive, CONTACTS_SHAPE);
            } else {
                store(ctx, keepAlive, () -> accounts.privacy().contacts(user, contacts));
            }
        }
    }

    /** Stores a change on the blocking executor: 204 once it is on disk, 503 when it cannot be stored. */
    private void store(ChannelHandlerContext ctx, boolean keepAlive, BooleanSupplier change) {
        endpoints.blocking(ctx, keepAlive, () -> {
            try {
                if (change.getAsBoolean()) {
                    HttpResponses.noContent(ctx, keepAlive);
                } else {
                    // Its only device was removed between the token's check and now.
                    respond(
                            ctx,
                            keepAlive,
                            HttpResponseStatus.UNAUTHORIZED,
                            error(HttpResponses.AUTH, "the account is gone"));
                }
            } catch (RuntimeException e) {
                RequestGuards.unavailable(ctx, keepAlive, "cannot store the change: " + e.getMessage());
            }
        });
    }

    private static GroupAddPrivacy groupAdd(FullHttpRequest request) {
        JsonNode node = body(request).get("groupAdd");
        return node != null && node.isTextual() ? GroupAddPrivacy.fromWire(node.textValue()) : null;
    }

    /** The contact list of the body, or null when it is not one (too long, or an entry that is not a user id). */
    private static long[] contacts(FullHttpRequest request) {
        JsonNode users = body(request).get("users");
        if (users == null || !users.isArray() || users.size() > PrivacySettings.MAX_CONTACTS) {
            return null;
        }
        long[] contacts = new long[users.size()];
        for (int i = 0; i < contacts.length; i++) {
            JsonNode user = users.get(i);
            if (!user.canConvertToExactIntegral() || !user.canConvertToLong()) {
                return null;
            }
            contacts[i] = user.longValue();
            if (contacts[i] < 1 || contacts[i] > ProtocolLimits.MAX_ID) {
                return null;
            }
        }
        return contacts;
    }

    /** The body as JSON; a missing object for one that is not JSON, so that every field of it reads as absent. */
    private static JsonNode body(FullHttpRequest request) {
        try (ByteBufInputStream in = new ByteBufInputStream(request.content())) {
            JsonNode body = HttpResponses.JSON.readTree(in);
            return body == null ? HttpResponses.JSON.missingNode() : body;
        } catch (IOException e) {
            return HttpResponses.JSON.missingNode();
        }
    }
}
