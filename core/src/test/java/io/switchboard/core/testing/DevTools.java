package io.switchboard.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Chrome DevTools Protocol client for one page of a {@link HeadlessChromium}: calls by id, and the events
 * of the domains a test enabled (console messages, exceptions, requests) kept for it to read.
 */
public final class DevTools implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final Path log;
    private WebSocket socket;

    private DevTools(Path log) {
        this.log = log;
    }

    static DevTools connect(URI uri, Path log) {
        DevTools devTools = new DevTools(log);
        devTools.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(TestClient.TIMEOUT)
                .buildAsync(uri, devTools)
                .orTimeout(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
        return devTools;
    }

    public JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                .get(TestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode message = reply.get(30, TimeUnit.SECONDS);
        if (message.has("error")) {
            throw new AssertionError(method + " failed: " + message.get("error") + "\n" + HeadlessChromium.tail(log));
        }
        return message.path("result");
    }

    /** The value of a JavaScript expression in the page. */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("page threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** The parameters of every event with this method received so far, such as {@code Runtime.exceptionThrown}. */
    public List<JsonNode> events(String method) {
        return events.stream()
                .filter(e -> e.path("method").asText().equals(method))
                .map(e -> e.path("params"))
                .toList();
    }

    public byte[] screenshot() throws Exception {
        JsonNode result = call("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode(result.path("data").asText());
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
        partial.append(text);
        if (last) {
            try {
                JsonNode message = JSON.readTree(partial.toString());
                CompletableFuture<JsonNode> reply =
                        message.has("id") ? replies.remove(message.get("id").asInt()) : null;
                if (reply != null) {
                    reply.complete(message);
                } else if (message.has("method")) {
                    events.add(message);
                }
            } catch (IOException e) {
                replies.values().forEach(reply -> reply.completeExceptionally(e));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        replies.values().forEach(reply -> reply.completeExceptionally(error));
    }

    @Override
    public void close() {
        socket.abort();
    }
}
