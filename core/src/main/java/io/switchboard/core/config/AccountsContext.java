package io.switchboard.core.config;

import java.nio.file.Path;

/** Where accounts are kept and whether registration needs a shared key. */
public final class AccountsContext {
    public static final String DATA_DIR_PROP = "server.data";
    public static final String DATA_DIR_DEFAULT = "./data";
    public static final String REGISTRATION_KEY_PROP = "accounts.registrationKey";

    private final Path dataDir;
    private final String registrationKey;

    private AccountsContext(Settings settings) {
        dataDir = Path.of(settings.string(DATA_DIR_PROP, DATA_DIR_DEFAULT));
        String key = settings.string(REGISTRATION_KEY_PROP, "");
        registrationKey = key.isBlank() ? null : key;
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

    @Override
    public String toString() {
        return "data=" + dataDir + " registrationKey=" + (registrationKey == null ? "none" : "set");
    }
}
