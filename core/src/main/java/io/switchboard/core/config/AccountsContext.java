package io.switchboard.core.config;

import java.nio.file.Path;

/** Where accounts are kept, whether registration needs a shared key, and how long a link code stays good. */
public final class AccountsContext {
    public static final String DATA_DIR_PROP = "server.data";
    public static final String DATA_DIR_DEFAULT = "./data";
    public static final String REGISTRATION_KEY_PROP = "accounts.registrationKey";
    public static final String LINK_CODE_EXPIRY_MS_PROP = "accounts.linkCodeExpiryMs";
    /** Five minutes, as protocol.md's example ({@code "expiresInMs":300000}). */
    public static final long LINK_CODE_EXPIRY_MS_DEFAULT = 300_000;

    public static final String MAX_ACCOUNTS_PROP = "accounts.maxAccounts";
    /**
     * Heap per account in the default bound: an account with all 8 devices takes about 1.2 KiB (218 bytes with one),
     * measured with {@code AccountStore.registerAll}/{@code linkAll} of 200,000 accounts on JDK 25, so accounts alone
     * fill at most about a third of the heap.
     */
    private static final long HEAP_BYTES_PER_ACCOUNT = 4096;

    private final Path dataDir;
    private final String registrationKey;
    private final long linkCodeExpiryMs;
    private final long maxAccounts;

    private AccountsContext(Settings settings) {
        dataDir = Path.of(settings.string(DATA_DIR_PROP, DATA_DIR_DEFAULT));
        String key = settings.string(REGISTRATION_KEY_PROP, "");
        registrationKey = key.isBlank() ? null : key;
        linkCodeExpiryMs = settings.longValue(LINK_CODE_EXPIRY_MS_PROP, LINK_CODE_EXPIRY_MS_DEFAULT, 100, 86_400_000);
        maxAccounts = settings.longValue(MAX_ACCOUNTS_PROP, maxAccountsDefault(), 1, Long.MAX_VALUE);
    }

    /** One account per {@link #HEAP_BYTES_PER_ACCOUNT} of this JVM's maximum heap. */
    public static long maxAccountsDefault() {
        return Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_ACCOUNT;
    }

    public static AccountsContext from(Settings settings) {
        return new AccountsContext(settings);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The key that {@code POST /v1/accounts} must carry in {@code X-Registration-Key}, or null for open registration. */
    public String registrationKey() {
        return registrationKey;
    }

    /** How long a code from {@code POST /v1/devices/link} may be used to link a device. */
    public long linkCodeExpiryMs() {
        return linkCodeExpiryMs;
    }

    /** The most accounts the server holds; a registration of a new one beyond it gets 503. */
    public long maxAccounts() {
        return maxAccounts;
    }

    @Override
    public String toString() {
        return "data=" + dataDir + " registrationKey=" + (registrationKey == null ? "none" : "set")
                + " linkCodeExpiryMs=" + linkCodeExpiryMs + " maxAccounts=" + maxAccounts;
    }
}
