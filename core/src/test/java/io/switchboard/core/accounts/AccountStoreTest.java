package io.switchboard.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.protocol.ProtocolLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountStoreTest {
    private static final long ALICE = 42;
    private static final long BOB = 99;

    @TempDir
    Path data;

    private AccountStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private AccountStore reopen() {
        if (store != null) {
            store.close();
        }
        store = AccountStore.open(data);
        return store;
    }

    private static boolean verify(AccountStore store, long user, int device, String token) {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        return store.verify(user, device, bytes, bytes.length);
    }

    private static String registered(RegistrationResult result) {
        assertThat(result.status()).isEqualTo(RegistrationResult.Status.REGISTERED);
        assertThat(result.token()).isNotBlank();
        return result.token();
    }

    @Test
    void shouldReturnATokenThatVerifiesForTheRegisteredDevice() {
        reopen();

        String token = registered(store.register(ALICE, 1, null));

        assertThat(verify(store, ALICE, 1, token)).isTrue();
        assertThat(store.accountCount()).isEqualTo(1);
    }

    @Test
    void shouldVerifyOnlyTheFirstLengthBytesOfTheTokenBuffer() {
        reopen();
        String token = registered(store.register(ALICE, 1, null));
        byte[] padded = (token + "trailing").getBytes(StandardCharsets.US_ASCII);

        assertThat(store.verify(ALICE, 1, padded, token.length())).isTrue();
        assertThat(store.verify(ALICE, 1, padded, padded.length)).isFalse();
    }

    @Test
    void shouldRejectAnotherDevicesOrAnotherUsersTokenOrGarbage() {
        reopen();
        String alice1 = registered(store.register(ALICE, 1, null));
        String alice2 = registered(store.register(ALICE, 2, null));
        String bob1 = registered(store.register(BOB, 1, null));

        assertThat(alice1).isNotEqualTo(alice2).isNotEqualTo(bob1);
        assertThat(verify(store, ALICE, 1, alice2)).isFalse();
        assertThat(verify(store, ALICE, 2, alice1)).isFalse();
        assertThat(verify(store, ALICE, 1, bob1)).isFalse();
        assertThat(verify(store, BOB, 1, alice1)).isFalse();
        assertThat(verify(store, ALICE, 1, "garbage")).isFalse();
        assertThat(verify(store, ALICE, 1, "")).isFalse();
        assertThat(verify(store, ALICE, 3, alice1)).isFalse();
        assertThat(verify(store, 7, 1, alice1)).isFalse();
    }

    @Test
    void shouldAnswerConflictWhenReRegisteringWithoutTheCurrentToken() {
        reopen();
        String token = registered(store.register(ALICE, 1, null));

        RegistrationResult again = store.register(ALICE, 1, null);
        RegistrationResult wrongToken = store.register(ALICE, 1, "not-the-token");

        assertThat(again.status()).isEqualTo(RegistrationResult.Status.CONFLICT);
        assertThat(again.token()).isNull();
        assertThat(wrongToken.status()).isEqualTo(RegistrationResult.Status.CONFLICT);
        assertThat(verify(store, ALICE, 1, token)).isTrue();
    }

    @Test
    void shouldAnswerConflictWhenPresentingAnotherDevicesToken() {
        reopen();
        registered(store.register(ALICE, 1, null));
        String alice2 = registered(store.register(ALICE, 2, null));

        assertThat(store.register(ALICE, 1, alice2).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
    }

    @Test
    void shouldRotateTheTokenWhenReRegisteringWithTheCurrentOne() {
        reopen();
        String first = registered(store.register(ALICE, 1, null));

        String second = registered(store.register(ALICE, 1, first));

        assertThat(second).isNotEqualTo(first);
        assertThat(verify(store, ALICE, 1, second)).isTrue();
        assertThat(verify(store, ALICE, 1, first)).isFalse();
        assertThat(store.register(ALICE, 1, first).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
    }

    @Test
    void shouldRegisterANewDeviceEvenWhenATokenIsPresented() {
        reopen();

        registered(store.register(ALICE, 1, "whatever"));
    }

    @Test
    void shouldSetOneBitPerRegisteredDeviceInTheDeviceMask() {
        reopen();
        store.register(ALICE, 1, null);
        store.register(ALICE, 3, null);
        store.register(ALICE, ProtocolLimits.MAX_DEVICE, null);
        store.register(BOB, 2, null);

        assertThat(store.deviceMask(ALICE)).isEqualTo((1L << 1) | (1L << 3) | (1L << ProtocolLimits.MAX_DEVICE));
        assertThat(store.deviceMask(BOB)).isEqualTo(1L << 2);
        assertThat(store.deviceMask(7)).isZero();
    }

    @Test
    void shouldKeepEveryAccountAcrossCloseAndOpen() {
        reopen();
        String alice1 = registered(store.register(ALICE, 1, null));
        String rotated = registered(store.register(ALICE, 1, alice1));
        String alice2 = registered(store.register(ALICE, 2, null));
        String bob = registered(store.register(BOB, 5, null));

        reopen();

        assertThat(store.accountCount()).isEqualTo(2);
        assertThat(store.deviceMask(ALICE)).isEqualTo((1L << 1) | (1L << 2));
        assertThat(store.deviceMask(BOB)).isEqualTo(1L << 5);
        assertThat(verify(store, ALICE, 1, rotated)).isTrue();
        assertThat(verify(store, ALICE, 1, alice1)).isFalse();
        assertThat(verify(store, ALICE, 2, alice2)).isTrue();
        assertThat(verify(store, BOB, 5, bob)).isTrue();
        assertThat(store.register(ALICE, 1, null).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
    }

    @Test
    void shouldRegisterInBulkWithTheCallersTokensAndKeepThemAcrossCloseAndOpen() {
        reopen();
        store.register(ALICE, 1, null);

        store.registerAll(1_000, 30_000, 1, user -> "bulk-" + user);
        reopen();

        assertThat(store.accountCount()).isEqualTo(30_001);
        assertThat(verify(store, 1_000, 1, "bulk-1000")).isTrue();
        assertThat(verify(store, 30_999, 1, "bulk-30999")).isTrue();
        assertThat(verify(store, 30_999, 1, "bulk-1000")).isFalse();
        assertThat(store.deviceMask(31_000)).isZero();
        assertThat(store.register(ALICE, 2, null).status()).isEqualTo(RegistrationResult.Status.REGISTERED);
    }

    @Test
    void shouldRefuseABulkRangeOutsideTheIds() {
        reopen();
        assertThatThrownBy(() -> store.registerAll(0, 10, 1, user -> "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.registerAll(ProtocolLimits.MAX_ID, 2, 1, user -> "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNeverStoreTheTokenItself() throws IOException {
        reopen();
        String token = registered(store.register(ALICE, 1, null));

        assertThat(Files.readString(data.resolve(AccountStore.FILE_NAME))).doesNotContain(token);
    }

    @Test
    void shouldSkipATornLastLineAndLoadTheRest() throws IOException {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        String bob = registered(store.register(BOB, 1, null));
        store.close();
        store = null;
        Path log = data.resolve(AccountStore.FILE_NAME);
        List<String> lines = Files.readAllLines(log, StandardCharsets.US_ASCII);
        String torn = "7 1 " + lines.get(0).split(" ")[2].substring(0, 20);
        Files.writeString(log, torn, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);

        reopen();

        assertThat(store.accountCount()).isEqualTo(2);
        assertThat(store.deviceMask(7)).isZero();
        assertThat(verify(store, ALICE, 1, alice)).isTrue();
        assertThat(verify(store, BOB, 1, bob)).isTrue();
    }

    @Test
    void shouldSkipLinesWithOutOfRangeIdsOrExtraFields() throws IOException {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        store.close();
        store = null;
        Path log = data.resolve(AccountStore.FILE_NAME);
        String hash = Files.readAllLines(log, StandardCharsets.US_ASCII).get(0).split(" ")[2];
        Files.writeString(
                log,
                "0 1 " + hash + "\n" + "8 64 " + hash + "\n" + "9 1 " + hash + " extra\n",
                StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);

        reopen();

        assertThat(store.accountCount()).isEqualTo(1);
        assertThat(store.deviceMask(8)).isZero();
        assertThat(store.deviceMask(9)).isZero();
        assertThat(verify(store, ALICE, 1, alice)).isTrue();
    }

    @Test
    void shouldKeepARegistrationMadeAfterATornLineAcrossTheNextRestart() throws IOException {
        reopen();
        registered(store.register(ALICE, 1, null));
        store.close();
        store = null;
        Path log = data.resolve(AccountStore.FILE_NAME);
        // A crash after the first byte of a line for user 7: the next line, for user 99, must not become "799 ...".
        Files.writeString(log, "7", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        reopen();
        String bob = registered(store.register(BOB, 1, null));

        reopen();

        assertThat(store.deviceMask(BOB)).isEqualTo(1L << 1);
        assertThat(verify(store, BOB, 1, bob)).isTrue();
        assertThat(store.deviceMask(799)).isZero();
    }

    @Test
    void shouldRejectOutOfRangeIdsWhenRegistering() {
        reopen();

        assertThatThrownBy(() -> store.register(0, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.register(-1, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.register(ProtocolLimits.MAX_ID + 1, 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.register(ALICE, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.register(ALICE, ProtocolLimits.MAX_DEVICE + 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.accountCount()).isZero();
    }

    @Test
    void shouldAcceptTheLargestIds() {
        reopen();

        String token = registered(store.register(ProtocolLimits.MAX_ID, ProtocolLimits.MAX_DEVICE, null));

        assertThat(verify(store, ProtocolLimits.MAX_ID, ProtocolLimits.MAX_DEVICE, token))
                .isTrue();
    }

    @Test
    void shouldNotVerifyOutOfRangeIds() {
        reopen();
        String token = registered(store.register(ALICE, 1, null));

        assertThat(verify(store, 0, 1, token)).isFalse();
        assertThat(verify(store, ALICE, 0, token)).isFalse();
        assertThat(verify(store, ALICE, ProtocolLimits.MAX_DEVICE + 1, token)).isFalse();
    }
}
