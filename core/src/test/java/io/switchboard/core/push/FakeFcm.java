package io.switchboard.core.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Google's side of FCM HTTP v1, on a real socket: the OAuth token URL, which checks the service
 * account's RS256-signed JWT against the account's public key before it hands out an access token, and the send URL,
 * which checks that token and answers by the push token: {@code gone} gets 404 UNREGISTERED, {@code flaky} 503 for its
 * first two tries, {@code hang} no answer until {@link #close}, anything else 200.
 */
final class FakeFcm implements AutoCloseable {
    static final String PROJECT = "test-project";
    static final String ACCESS_TOKEN = "access-1";
    static final String CLIENT_EMAIL = "switchboard@test-project.iam.gserviceaccount.com";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final KeyPair account;
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicInteger flakyTries = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch hanging = new CountDownLatch(1);
    /** Each push request: "token status body". */
    final List<String> pushes = new CopyOnWriteArrayList<>();

    FakeFcm() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        account = generator.generateKeyPair();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(threads);
        http.createContext("/token", this::token);
        http.createContext("/v1/projects/" + PROJECT + "/messages:send", this::send);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    String tokenUrl() {
        return url() + "/token";
    }

    /** Writes the service account key file, as the Firebase console hands it out. */
    Path writeCredentials(Path dir) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(account.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve("service-account.json");
        Files.write(
                file,
                JSON.writeValueAsBytes(Map.of(
                        "type", "service_account",
                        "project_id", PROJECT,
                        "private_key_id", "key-1",
                        "private_key", pem,
                        "client_email", CLIENT_EMAIL)));
        return file;
    }

    int exchanges() {
        return exchanges.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))
                || !validAssertion(fields.get("assertion"))) {
            answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        exchanges.incrementAndGet();
        answer(
                exchange,
                200,
                "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    private boolean validAssertion(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(account.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long nowS = System.currentTimeMillis() / 1000;
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]))
                    && header.path("alg").asText().equals("RS256")
                    && claims.path("iss").asText().equals(CLIENT_EMAIL)
                    && claims.path("scope").asText().equals(FcmAccessTokens.SCOPE)
                    && claims.path("aud").asText().equals(tokenUrl())
                    && Math.abs(claims.path("iat").asLong() - nowS) < 60
                    && claims.path("exp").asLong() > nowS;
        } catch (Exception e) {
            return false;
        }
    }

    private void send(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!("Bearer " + ACCESS_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"error\":{\"status\":\"UNAUTHENTICATED\"}}");
            return;
        }
        String token = JSON.readTree(body).path("message").path("token").asText();
        int status;
        String answer;
        switch (token) {
            case "gone" -> {
                status = 404;
                answer = "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\",\"details\":[{\"@type\":"
                        + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"UNREGISTERED\"}]}}";
            }
            case "flaky" -> {
                status = flakyTries.incrementAndGet() <= 2 ? 503 : 200;
                answer = "{}";
            }
            case "hang" -> {
                hanging.countDown();
                awaitRelease();
                status = 503;
                answer = "{}";
            }
            default -> {
                status = 200;
                answer = "{\"name\":\"projects/" + PROJECT + "/messages/1\"}";
            }
        }
        pushes.add(token + " " + status + " " + body);
        answer(exchange, status, answer);
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        http.stop(0);
        threads.shutdownNow();
    }
}
