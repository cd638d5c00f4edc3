package io.switchboard.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.EpochClock;

/**
 * OAuth 2.0 access tokens for FCM from a Google service account (RFC 7523, JWT bearer grant): a JWT naming the
 * account, the messaging scope and the token URL, signed RS256 with the account's private key, is exchanged at the
 * token URL for an access token, which is reused until a minute before it expires. One exchange at a time: callers
 * while it runs share it. Thread-safe.
 */
final class FcmAccessTokens {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final long JWT_LIFETIME_S = 3600;
    /** An access token is renewed this long before it expires, so that none expires on its way to FCM. */
    private static final long RENEW_BEFORE_MS = TimeUnit.MINUTES.toMillis(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final HttpClient http;
    private final URI tokenUrl;
    private final String clientEmail;
    private final String keyId;
    private final PrivateKey key;
    private final EpochClock clock;
    private final Duration timeout;

    /** The token in use and when it stops being used; null before the first exchange. */
    private String token;

    private long renewAtMs;
    private CompletableFuture<String> exchanging;

    FcmAccessTokens(HttpClient http, URI tokenUrl, Path credentials, EpochClock clock, Duration timeout) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clock = clock;
        this.timeout = timeout;
        try {
            JsonNode account = JSON.readTree(Files.readAllBytes(credentials));
            this.clientEmail = account.path("client_email").asText();
            this.keyId = account.path("private_key_id").asText("");
            this.key = privateKey(account.path("private_key").asText());
            if (clientEmail.isEmpty()) {
                throw new IllegalArgumentException("no client_email");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the FCM service account " + credentials, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a service account key file: " + credentials, e);
        }
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** A valid access token: the cached one, or the one an exchange brings. */
    synchronized CompletableFuture<String> token() {
        if (token != null && clock.time() < renewAtMs) {
            return CompletableFuture.completedFuture(token);
        }
        if (exchanging == null) {
            CompletableFuture<String> exchange = exchange();
            exchanging = exchange;
            exchange.whenComplete((value, failure) -> exchanged(exchange));
        }
        return exchanging;
    }

    /** FCM refused {@code rejected} (401): the next push exchanges again, unless another already has. */
    synchronized void invalidate(String rejected) {
        if (rejected.equals(token)) {
            token = null;
        }
    }

    private synchronized void exchanged(CompletableFuture<String> exchange) {
        if (exchanging == exchange) {
            exchanging = null;
        }
    }

    private CompletableFuture<String> exchange() {
        long nowMs = clock.time();
        String form = "grant_type=" + URLEncoder.encode(GRANT, StandardCharsets.UTF_8) + "&assertion="
                + signedJwt(nowMs / 1000);
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the token URL answered " + response.statusCode());
            }
            try {
                JsonNode body = JSON.readTree(response.body());
                String accessToken = body.path("access_token").asText("");
                long expiresInS = body.path("expires_in").asLong(0);
                if (accessToken.isEmpty() || expiresInS <= 0) {
                    throw new IllegalStateException("the token URL gave no access token");
                }
                synchronized (this) {
                    token = accessToken;
                    renewAtMs = nowMs + TimeUnit.SECONDS.toMillis(expiresInS) - RENEW_BEFORE_MS;
                }
                return accessToken;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** header.claims.signature, each base64url: the assertion of the JWT bearer grant. */
    private String signedJwt(long nowS) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (!keyId.isEmpty()) {
            header.put("kid", keyId);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientEmail);
        claims.put("scope", SCOPE);
        claims.put("aud", tokenUrl.toString());
        claims.put("iat", nowS);
        claims.put("exp", nowS + JWT_LIFETIME_S);
        try {
            String signed = BASE64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the service account's key", e);
        }
    }
}
