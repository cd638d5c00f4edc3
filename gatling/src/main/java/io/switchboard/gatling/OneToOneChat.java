package io.switchboard.gatling;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.WsFrameCheck;
import java.time.Duration;

/**
 * Pairs of users exchange one-to-one messages over real WebSockets: in each pair (virtual users 2k-1 and 2k) the first
 * sends message i, waits for its {@code ack} and for the partner's reply as a {@code msg}, and acknowledges it with
 * {@code recv}; the second answers every {@code msg} with {@code recv} and a reply. Every user sends one message per
 * round, paced so that all users together offer {@code rate} messages per second for {@code duration} seconds.
 *
 * <p>Load: {@code -Dusers} (even; default 100), {@code -Drate} (messages/s in total; default 1000), {@code -Dduration}
 * (s; default 30), {@code -Dtarget}. Response times: {@code ack} is send→ack, {@code reply msg} the opener's send→the
 * partner's reply (two trips through the server); {@code next msg (paced)} is the answerer's wait for the opener's next
 * round and includes the pacing, so it measures nothing about the server. Each pair waits for its reply before the
 * next round: a slow server lowers the offered rate rather than piling up late messages. The simulator's
 * {@code loopback} command measures open-loop latency from the intended send time.
 */
public class OneToOneChat extends Simulation {
    /** Any failed request (registration, a missing ack or msg, a frame timeout) fails the run. */
    static final long MAX_FAILED_REQUESTS = 0;
    /** p99 of send→ack across the run, in ms. */
    static final int P99_BOUND_MS = 100;

    private static final String EXPECTED = "expected";

    public OneToOneChat() {
        this(Load.fromSystemProperties(100, 1000, 30));
    }

    OneToOneChat(Load load) {
        if (load.users() % 2 != 0) {
            throw new IllegalArgumentException("-Dusers must be even: users chat in pairs, not " + load.users());
        }
        int rounds = Math.max(1, (int) (load.duration().toSeconds() * load.rate() / load.users()));
        Duration pace = Duration.ofNanos(1_000_000_000L * load.users() / load.rate());
        WsFrameCheck reply = msgFrom(load, "reply msg");
        WsFrameCheck next = msgFrom(load, "next msg (paced)");
        ChainBuilder opener = exec(Chat.connect(load))
                .repeat(rounds, "i")
                .on(exec(session -> nextIds(session, session.getInt("i") + 1L, session.getInt("i") + 1L))
                        .pace(pace)
                        .exec(ws("send")
                                .sendText(session -> Chat.sendToUser(session.getLong("id"), partner(load, session)))
                                .await(Chat.FRAME_TIMEOUT)
                                .on(Chat.ack("id"), reply))
                        .exec(acknowledge()));
        ChainBuilder answerer = exec(session -> session.set(EXPECTED, 1L))
                .exec(Chat.connect(load, next))
                .exec(repeat(rounds, "i")
                        .on(exec(acknowledge())
                                .exec(session -> nextIds(session, session.getInt("i") + 1L, session.getInt("i") + 2L))
                                .exec(doIfOrElse(session -> session.getInt("i") < rounds - 1)
                                        .then(exec(replyAndAwait(load, Chat.ack("id"), next)))
                                        .orElse(exec(replyAndAwait(load, Chat.ack("id")))))));
        ScenarioBuilder pairs = scenario("OneToOneChat")
                .exec(Chat.register(load))
                // Every partner exists before the first send (else: unknown-recipient). The answerer's hello waits for
                // the first msg too, so one that was queued before it connected is checked as well.
                .rendezVous(load.users())
                .doIfOrElse(OneToOneChat::opensTheRound)
                .then(opener)
                .orElse(answerer)
                .exec(ws("close").close());
        setUp(pairs.injectOpen(rampUsers(load.users()).during(rampUp(load))))
                .protocols(Chat.protocol(load))
                .assertions(
                        global().failedRequests().count().lte(MAX_FAILED_REQUESTS),
                        details(Chat.ACK).responseTime().percentile(99.0).lt(Load.p99BoundMs(P99_BOUND_MS)));
    }

    /** The id this user sends next, and the id of the partner's message it waits for. */
    private static Session nextIds(Session session, long id, long expected) {
        return session.set("id", id).set(EXPECTED, expected);
    }

    /** Users start over a second per 1,000 (at least one) so that registration and hello do not all land at once. */
    static Duration rampUp(Load load) {
        return Duration.ofMillis(Math.max(1000, load.users()));
    }

    private static boolean opensTheRound(Session session) {
        return session.userId() % 2 == 1;
    }

    private static long partner(Load load, Session session) {
        return Chat.user(load, session) + (opensTheRound(session) ? 1 : -1);
    }

    /** The partner's message with the expected id; saves its seq for the recv. */
    private static WsFrameCheck msgFrom(Load load, String name) {
        return ws.checkTextMessage(name)
                .matching(jsonPath("$.t").is("msg"))
                .check(
                        jsonPath("$.from.user").ofLong().is(session -> partner(load, session)),
                        jsonPath("$.id").ofLong().is(session -> session.getLong(EXPECTED)),
                        jsonPath("$.seq").ofLong().saveAs("seq"));
    }

    private static ChainBuilder acknowledge() {
        return exec(ws("recv").sendText(session -> Chat.recv(session.getLong("seq"))));
    }

    private static ChainBuilder replyAndAwait(Load load, WsFrameCheck... checks) {
        return exec(ws("reply")
                .sendText(session -> Chat.sendToUser(session.getLong("id"), partner(load, session)))
                .await(Chat.FRAME_TIMEOUT)
                .on(checks));
    }
}
