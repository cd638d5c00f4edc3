package io.switchboard.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.WsFrameCheck;
import java.time.Duration;

/**
 * What every simulation does with sb.json.v1: the protocol for a target, registering the virtual user's account,
 * connecting and saying hello, and the frames and checks of a conversation. A virtual user's account is
 * {@code firstUser + userId - 1}, device 1.
 */
final class Chat {
    static final String SUBPROTOCOL = "sb.json.v1";
    /** How long a check waits for its frame: far above any latency bound, so only a lost frame times out. */
    static final Duration FRAME_TIMEOUT = Duration.ofSeconds(10);

    static final int DEVICE = 1;
    static final String ACK = "ack";
    static final String WELCOME = "welcome";
    private static final String TOKEN = "token";
    private static final String ATTEMPT = "registerAttempt";
    private static final int REGISTER_ATTEMPTS = 50;
    private static final Duration REGISTER_RETRY_PAUSE = Duration.ofMillis(200);
    /** "hello, Switchboard" in base64: the server never decodes bodies. */
    private static final String BODY = "aGVsbG8sIFN3aXRjaGJvYXJk";

    private Chat() {}

    static HttpProtocolBuilder protocol(Load load) {
        // Shared HTTP connections: registration then takes no socket per user, leaving the open-files limit to the
        // WebSockets.
        return http.baseUrl("http://" + load.target())
                .wsBaseUrl("ws://" + load.target())
                .shareConnections();
    }

    static long user(Load load, Session session) {
        return load.firstUser() + session.userId() - 1;
    }

    /**
     * POST /v1/accounts for this user's device 1; saves the token. A server that has too many registrations in hand
     * sheds them with 503: the user retries after a pause, as a client would, up to {@value #REGISTER_ATTEMPTS} times;
     * without a token its hello then fails, which fails the run.
     */
    static ChainBuilder register(Load load) {
        return asLongAs(session -> !session.contains(TOKEN) && session.getInt(ATTEMPT) < REGISTER_ATTEMPTS, ATTEMPT)
                .on(exec(http("register")
                                .post("/v1/accounts")
                                .body(StringBody(
                                        session -> "{\"user\":" + user(load, session) + ",\"device\":" + DEVICE + "}"))
                                .check(
                                        status().in(201, 503),
                                        jsonPath("$.token").optional().saveAs(TOKEN)))
                        .doIf(session -> !session.contains(TOKEN))
                        .then(pause(REGISTER_RETRY_PAUSE)));
    }

    /** Opens the WebSocket and sends hello; waits for welcome and then for {@code more} checks, in order. */
    static ChainBuilder connect(Load load, WsFrameCheck... more) {
        WsFrameCheck[] checks = new WsFrameCheck[more.length + 1];
        checks[0] = ws.checkTextMessage(WELCOME).check(jsonPath("$.t").is("welcome"));
        System.arraycopy(more, 0, checks, 1, more.length);
        return exec(ws("connect").connect("/ws").subprotocol(SUBPROTOCOL))
                .exec(ws("hello")
                        .sendText(session -> "{\"t\":\"hello\",\"user\":" + user(load, session) + ",\"device\":"
                                + DEVICE + ",\"token\":\"" + session.getString(TOKEN) + "\"}")
                        .await(FRAME_TIMEOUT)
                        .on(checks));
    }

    static String sendToUser(long id, long toUser) {
        return "{\"t\":\"send\",\"id\":" + id + ",\"to\":{\"user\":" + toUser + "},\"env\":[{\"device\":" + DEVICE
                + ",\"type\":\"plain\",\"body\":\"" + BODY + "\"}]}";
    }

    static String sendToGroup(long id, String group) {
        return "{\"t\":\"send\",\"id\":" + id + ",\"to\":{\"group\":\"" + group + "\"},\"env\":[{\"type\":\"skmsg\","
                + "\"body\":\"" + BODY + "\"}]}";
    }

    static String recv(long seq) {
        return "{\"t\":\"recv\",\"seq\":" + seq + "}";
    }

    /**
     * The ack of the message whose id the session holds under {@code idKey}; an error frame instead fails the check at
     * once rather than after the timeout.
     */
    static WsFrameCheck ack(String idKey) {
        return ws.checkTextMessage(ACK)
                .matching(jsonPath("$.t").in("ack", "error"))
                .check(jsonPath("$.t").is("ack"), jsonPath("$.id").ofLong().is(session -> session.getLong(idKey)));
    }
}
