package io.switchboard.core.media;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Media ids: 128 random bits ({@link SecureRandom}) in URL-safe base64 without padding, 22 characters. The id is the
 * capability to fetch a blob (docs/security.md), so it must not be guessable; and since it names a file of the file
 * store, {@link #valid} admits nothing but those 22 characters, so no id can reach outside the store's directory.
 */
public final class MediaIds {
    public static final int LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private MediaIds() {}

    public static String next() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return ENCODER.encodeToString(bits);
    }

    /** Whether {@code id} has the shape of an id this server issues (it may still name no blob). */
    public static boolean valid(String id) {
        if (id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
