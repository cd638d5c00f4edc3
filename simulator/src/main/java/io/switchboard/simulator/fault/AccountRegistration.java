package io.switchboard.simulator.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@code POST /v1/accounts} for device 1 of a user, as an app registers it (protocol.md, Accounts and devices). */
final class AccountRegistration {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AccountRegistration() {}

    static HttpResponse<String> post(URI http, long user) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(http.resolve("/v1/accounts"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":" + user + ",\"device\":1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The token of a 201's body {@code {"token":"..."}}. */
    static String token(HttpResponse<String> response) {
        return response.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
}
