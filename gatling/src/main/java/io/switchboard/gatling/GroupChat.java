package io.switchboard.gatling;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.WsFrameCheck;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Groups of {@code groupSize} users (protocol.md, Groups): the first member of each group creates it with every other
 * member, then sends group messages; the server fans each one out as a {@code msg} to every other member device. Every
 * member answers each {@code msg} with {@code recv} at once (Gatling's auto-reply), and the server sends the sender
 * {@code delivered} only when every member device has acknowledged: so the sender's check for that receipt checks the
 * whole fan-out, and its response time is send→last member's recv.
 *
 * <p>Load: {@code -Dusers} (a multiple of {@code groupSize}; default 64), {@code -DgroupSize} (default 8),
 * {@code -Drate} (group messages/s in total; default 100), {@code -Dduration} (s; default 30), {@code -Dtarget}.
 */
public class GroupChat extends Simulation {
    /** Any failed request (group.create refused, a missing ack or delivered receipt, a timeout) fails the run. */
    static final long MAX_FAILED_REQUESTS = 0;
    /** p99 of group send→delivered (every member device has the message and acknowledged it), in ms. */
    static final int P99_BOUND_MS = 200;

    private static final String DELIVERED = "delivered";
    private static final Pattern MSG_SEQ = Pattern.compile("\"t\"\\s*:\\s*\"msg\".*\"seq\"\\s*:\\s*(\\d+)");

    public GroupChat() {
        this(Load.fromSystemProperties(64, 100, 30));
    }

    GroupChat(Load load) {
        int size = load.groupSize();
        if (size < 2 || load.users() % size != 0) {
            throw new IllegalArgumentException("-Dusers (" + load.users() + ") must be a multiple of -DgroupSize ("
                    + size + "), and groups need at least 2 members");
        }
        int groups = load.users() / size;
        int rounds = Math.max(1, (int) (load.duration().toSeconds() * load.rate() / groups));
        Duration pace = Duration.ofNanos(1_000_000_000L * groups / load.rate());
        ChainBuilder creator = exec(ws("group.create")
                        .sendText(session -> "{\"t\":\"group.create\",\"req\":1,\"group\":\"" + group(load, session)
                                + "\",\"name\":\"Gatling\",\"members\":[" + otherMembers(load, session) + "]}")
                        .await(Chat.FRAME_TIMEOUT)
                        .on(ws.checkTextMessage("result")
                                .matching(jsonPath("$.t").in("result", "error"))
                                .check(
                                        jsonPath("$.t").is("result"),
                                        jsonPath("$.ok").ofBoolean().is(true))))
                .repeat(rounds, "i")
                .on(exec(session -> session.set("id", session.getInt("i") + 1L))
                        .pace(pace)
                        .exec(ws("group send")
                                .sendText(session -> Chat.sendToGroup(session.getLong("id"), group(load, session)))
                                .await(Chat.FRAME_TIMEOUT)
                                .on(Chat.ack("id"), delivered())));
        // Members only answer msgs, which the auto-reply does; they stay until the creator must be done.
        ChainBuilder member = exec(pause(load.duration().plus(Chat.FRAME_TIMEOUT.multipliedBy(2))));
        ScenarioBuilder groupsOfUsers = scenario("GroupChat")
                .exec(Chat.register(load))
                .exec(Chat.connect(load))
                // Every member is registered and online before any group exists.
                .rendezVous(load.users())
                .doIfOrElse(session -> memberIndex(load, session) == 0)
                .then(creator)
                .orElse(member)
                .exec(ws("close").close());
        setUp(groupsOfUsers.injectOpen(rampUsers(load.users()).during(OneToOneChat.rampUp(load))))
                .protocols(Chat.protocol(load).wsAutoReplyTextFrame(GroupChat::recvFor))
                .assertions(
                        global().failedRequests().count().lte(MAX_FAILED_REQUESTS),
                        details(DELIVERED).responseTime().percentile(99.0).lt(Load.p99BoundMs(P99_BOUND_MS)));
    }

    /** The recv that acknowledges a msg frame; null (no reply) for any other frame. */
    private static String recvFor(String frame) {
        Matcher msg = MSG_SEQ.matcher(frame);
        return msg.find() ? Chat.recv(Long.parseLong(msg.group(1))) : null;
    }

    private static WsFrameCheck delivered() {
        return ws.checkTextMessage(DELIVERED)
                .matching(jsonPath("$.t").is("receipt"), jsonPath("$.kind").is("delivered"))
                .check(jsonPath("$.id").ofLong().is(session -> session.getLong("id")));
    }

    private static long memberIndex(Load load, Session session) {
        return (session.userId() - 1) % load.groupSize();
    }

    private static String group(Load load, Session session) {
        return "g" + load.firstUser() + "-" + (session.userId() - 1) / load.groupSize();
    }

    private static String otherMembers(Load load, Session session) {
        long creator = Chat.user(load, session);
        return LongStream.range(1, load.groupSize())
                .mapToObj(j -> Long.toString(creator + j))
                .collect(Collectors.joining(","));
    }
}
