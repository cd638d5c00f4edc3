package io.switchboard.core.accounts;

/**
 * Who may add a user to a group (WhatsApp's "Groups" privacy setting), as {@code PUT /v1/settings/privacy} names it in
 * {@code groupAdd}. Anyone else who tries gets the user invited instead: the user joins only by accepting. Immutable.
 */
public enum GroupAddPrivacy {
    /** Any user; the default, so an account that never chose behaves as before the setting existed. */
    EVERYONE("everyone"),
    /** Only users in the account's uploaded contact list. */
    CONTACTS("contacts"),
    /** Nobody: every add becomes an invite. */
    NOBODY("nobody");

    private final String wireName;

    GroupAddPrivacy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The setting named {@code wireName}, or null when none is. */
    public static GroupAddPrivacy fromWire(String wireName) {
        for (GroupAddPrivacy value : values()) {
            if (value.wireName.equals(wireName)) {
                return value;
            }
        }
        return null;
    }
}
