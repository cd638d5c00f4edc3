package io.switchboard.simulator.fault;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server its user started ({@code ./switchboard serve}) at {@code HOST:PORT}, which {@code run --target} drives: the
 * run neither starts, configures, stops nor kills it, so its settings and JDK are whatever it was started with. Each
 * registration refused gets an error that says what to change on that server.
 */
public final class TargetServer implements ReachedServer {
    private final String address;
    private final URI http;
    private final ServerScrapes scrapes = new ServerScrapes();

    private TargetServer(String address) {
        this.address = address;
        this.http = URI.create("http://" + address);
    }

    /** A run cannot use the server at the address given: what is wrong and what to do. */
    public static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message);
        }
    }

    /**
     * The server at {@code address} ({@code HOST:PORT}), after checking that something answers there with
     * Switchboard's {@code /metrics}.
     */
    public static TargetServer at(String address) throws IOException, InterruptedException {
        if (!address.matches("[^\\s:/]+:\\d{1,5}")) {
            throw new Unusable("expected HOST:PORT, e.g. 127.0.0.1:8080, got '" + address + "'");
        }
        TargetServer server = new TargetServer(address);
        try {
            server.scrapes.start(server.metrics());
        } catch (ConnectException e) {
            throw new Unusable("nothing answers at " + address + ": start the server first (./switchboard serve --port "
                    + address.substring(address.lastIndexOf(':') + 1) + ")");
        } catch (IOException | RuntimeException e) {
            throw new Unusable(
                    address + " does not answer as a Switchboard server (GET /metrics: " + e.getMessage() + ")");
        }
        return server;
    }

    @Override
    public URI webSocket() {
        return URI.create("ws://" + address + "/ws");
    }

    @Override
    public URI metrics() {
        return http.resolve("/metrics");
    }

    @Override
    public String describe() {
        return "external " + webSocket() + " (started outside this run: its own settings and JDK)";
    }

    @Override
    public String[] register(long userBase, int users) throws IOException, InterruptedException {
        String[] tokens = new String[users];
        long last = userBase + users;
        for (long user = userBase + 1; user <= last; user++) {
            HttpResponse<String> response = AccountRegistration.post(http, user);
            switch (response.statusCode()) {
                case 201 -> tokens[(int) (user - userBase - 1)] = AccountRegistration.token(response);
                case 429 ->
                    throw new Unusable("the server at " + address + " rate-limited the registration of user "
                            + user + " (429): the run registers its users from one address; start the"
                            + " server with -Dswitchboard.limits.registrations.perMinute=0 (or at least " + last
                            + ")");
                case 409 ->
                    throw new Unusable("user " + user + " already has an account on the server at " + address
                            + " (409): a run registers users " + (userBase + 1) + ".." + last
                            + " as new accounts; start the server on a"
                            + " fresh --data directory");
                case 403 ->
                    throw new Unusable(
                            "the server at " + address + " refused the registration of user " + user
                                    + " (403): it asks for a registration key, which the run does not send; start it without one");
                default ->
                    throw new Unusable("the server at " + address + " answered the registration of user " + user
                            + " with " + response.statusCode() + ": " + response.body());
            }
        }
        return tokens;
    }

    @Override
    public ServerScrapes scrapes() {
        return scrapes;
    }

    @Override
    public String whereToLook() {
        return "the server at " + address + " was started outside this run: see its own output";
    }

    /** summary.json's {@code target}: the address, and that what the run did not start it cannot describe. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", address);
        json.put("external", true);
        json.put("settings", "unknown: those it was started with");
        json.put("jdk", "unknown: its /metrics does not say");
        return json;
    }
}
