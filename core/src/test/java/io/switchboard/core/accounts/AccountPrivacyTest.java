package io.switchboard.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may add a user to a group, and the contact list it consults: kept in accounts.log like the devices. */
class AccountPrivacyTest {
    private static final long ALICE = 42;
    private static final long BOB = 99;
    private static final long CAROL = 100;

    @TempDir
    Path data;

    private AccountStore store;

    @AfterEach
    void closeStore() {
        store.close();
    }

    private void reopen() {
        if (store != null) {
            store.close();
        }
        store = AccountStore.open(data, 300_000, Long.MAX_VALUE, new CachedEpochClock());
    }

    @Test
    void shouldLetEveryoneAddAUserWhoNeverChose() {
        reopen();
        store.register(BOB, 1, null);

        assertThat(store.privacy().groupAdd(BOB)).isEqualTo(GroupAddPrivacy.EVERYONE);
        assertThat(store.privacy().contacts(BOB)).isEmpty();
        assertThat(store.privacy().acceptsGroupAdd(BOB, ALICE)).isTrue();
    }

    @Test
    void shouldKeepTheSettingAndContactsAcrossCloseAndOpen() {
        reopen();
        store.register(ALICE, 1, null);
        store.register(BOB, 1, null);
        assertThat(store.privacy().groupAdd(ALICE, GroupAddPrivacy.NOBODY)).isTrue();
        assertThat(store.privacy().groupAdd(BOB, GroupAddPrivacy.CONTACTS)).isTrue();
        assertThat(store.privacy().contacts(BOB, new long[] {CAROL, 7, 7, 3})).isTrue();

        reopen();

        assertThat(store.privacy().groupAdd(ALICE)).isEqualTo(GroupAddPrivacy.NOBODY);
        assertThat(store.privacy().acceptsGroupAdd(ALICE, BOB)).isFalse();
        assertThat(store.privacy().groupAdd(BOB)).isEqualTo(GroupAddPrivacy.CONTACTS);
        assertThat(store.privacy().contacts(BOB)).containsExactly(3, 7, CAROL);
        assertThat(store.privacy().acceptsGroupAdd(BOB, CAROL)).isTrue();
        assertThat(store.privacy().acceptsGroupAdd(BOB, ALICE)).isFalse();
    }

    /** A contact list uploaded in a loop must not grow every start's replay: the compaction keeps the latest only. */
    @Test
    void shouldKeepOnlyTheLatestSettingAndContactsWhenCompacting() throws IOException {
        reopen();
        store.register(BOB, 1, null);
        for (int i = 0; i < 2_000; i++) {
            store.privacy().contacts(BOB, new long[] {i + 1});
            store.privacy().groupAdd(BOB, i % 2 == 0 ? GroupAddPrivacy.NOBODY : GroupAddPrivacy.CONTACTS);
        }

        reopen();

        assertThat(Files.readAllLines(data.resolve(AccountStore.FILE_NAME)))
                .as("the device, the setting, the contacts")
                .hasSize(3);
        assertThat(store.privacy().groupAdd(BOB)).isEqualTo(GroupAddPrivacy.CONTACTS);
        assertThat(store.privacy().contacts(BOB)).containsExactly(2_000);
    }

    @Test
    void shouldRefuseTooManyContactsOrIdsOutOfRangeAndChangeNothingForAnUnknownUser() {
        reopen();
        store.register(BOB, 1, null);
        long[] tooMany =
                LongStream.rangeClosed(1, PrivacySettings.MAX_CONTACTS + 1).toArray();

        assertThatThrownBy(() -> store.privacy().contacts(BOB, tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.privacy().contacts(BOB, new long[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.privacy()
                        .contacts(
                                BOB,
                                LongStream.rangeClosed(1, PrivacySettings.MAX_CONTACTS)
                                        .toArray()))
                .isTrue();
        assertThat(store.privacy().groupAdd(7, GroupAddPrivacy.NOBODY)).isFalse();
        reopen();
        assertThat(store.privacy().contacts(BOB)).hasSize(PrivacySettings.MAX_CONTACTS);
        assertThat(store.privacy().groupAdd(7)).isEqualTo(GroupAddPrivacy.EVERYONE);
        assertThat(store.accountCount()).isEqualTo(1);
    }
}
