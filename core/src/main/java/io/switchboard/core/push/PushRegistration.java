package io.switchboard.core.push;

import java.util.Objects;

/**
 * A device's push registration: its platform and the token that platform gave the device. The token is kept as given,
 * within {@link #MAX_TOKEN_LENGTH} characters of {@code [A-Za-z0-9._:~+/=-]}: APNs tokens are 64 hex digits, FCM
 * tokens about 160 characters of base64url and colons, and a token must fit one line of the account log.
 */
public record PushRegistration(PushPlatform platform, String token) {
    public static final int MAX_TOKEN_LENGTH = 512;

    public PushRegistration {
        Objects.requireNonNull(platform, "platform");
        if (!validToken(token)) {
            throw new IllegalArgumentException(
                    "a push token is 1.." + MAX_TOKEN_LENGTH + " characters of letters, digits and ._:~+/=-");
        }
    }

    static boolean validToken(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "._:~+/=-".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The token is a credential of the device: never printed whole. */
    @Override
    public String toString() {
        return platform.wireName() + ":" + token.substring(0, Math.min(6, token.length())) + "…";
    }
}
