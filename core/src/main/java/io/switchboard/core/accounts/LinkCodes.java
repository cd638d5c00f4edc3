package io.switchboard.core.accounts;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The link codes waiting to be used: at most one per account (a new one replaces it), each for one account, good
 * once, until it expires. Held in memory only: a restart invalidates them, and the primary asks for a new one. Codes
 * are 144 random bits from {@link SecureRandom}, URL-safe base64 (24 characters), so guessing one is hopeless within its
 * lifetime. Thread-safe; every check and use of an account's code also happens under that account's stripe lock, so a
 * code is never used twice.
 */
final class LinkCodes {
    private static final int CODE_BYTES = 18;

    private final SecureRandom random;
    private final long expiryMs;
    /** In the order issued, which is the order they expire in while the clock goes forward. */
    private final LinkedHashMap<String, Pending> byCode = new LinkedHashMap<>();

    private final Long2ObjectHashMap<String> byUser = new Long2ObjectHashMap<>();

    private record Pending(long user, long expiresAtMs) {}

    LinkCodes(SecureRandom random, long expiryMs) {
        this.random = random;
        this.expiryMs = expiryMs;
    }

    long expiryMs() {
        return expiryMs;
    }

    /** A new code for the user's account, replacing the one it had. */
    synchronized String issue(long user, long nowMs) {
        forgetExpired(nowMs);
        String previous = byUser.remove(user);
        if (previous != null) {
            byCode.remove(previous);
        }
        byte[] bytes = new byte[CODE_BYTES];
        String code;
        do {
            random.nextBytes(bytes);
            code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (byCode.containsKey(code));
        byCode.put(code, new Pending(user, nowMs + expiryMs));
        byUser.put(user, code);
        return code;
    }

    /** Whether {@code code} was issued for this user's account, is not used or replaced, and has not expired. */
    synchronized boolean valid(String code, long user, long nowMs) {
        Pending pending = byCode.get(code);
        return pending != null && pending.user() == user && nowMs - pending.expiresAtMs() < 0;
    }

    /** Uses the code up. */
    synchronized void consume(String code) {
        Pending pending = byCode.remove(code);
        if (pending != null) {
            byUser.remove(pending.user());
        }
    }

    synchronized int size() {
        return byCode.size();
    }

    private void forgetExpired(long nowMs) {
        for (Iterator<Pending> oldest = byCode.values().iterator(); oldest.hasNext(); ) {
            Pending pending = oldest.next();
            if (nowMs - pending.expiresAtMs() < 0) {
                return;
            }
            oldest.remove();
            byUser.remove(pending.user());
        }
    }
}
