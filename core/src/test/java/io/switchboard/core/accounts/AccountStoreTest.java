package io.switchboard.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.push.PushPlatform;
import io.switchboard.core.push.PushRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountStoreTest {
    private static final long ALICE = 42;
    private static final long BOB = 99;
    private static final long EXPIRY_MS = 300_000;

    @TempDir
    Path data;

    private final CachedEpochClock clock = new CachedEpochClock();
    private AccountStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private AccountStore reopen() {
        return reopen(Long.MAX_VALUE);
    }

    private AccountStore reopen(long maxAccounts) {
        if (store != null) {
            store.close();
        }
        store = AccountStore.open(data, EXPIRY_MS, maxAccounts, clock);
        return store;
    }

    /** The data directory holds tokens: other local users must not read it, whatever the process's umask. */
    @Test
    void shouldMakeTheDataDirectoryReadableByItsOwnerOnly() throws IOException {
        Path fresh = data.resolve("fresh");
        store = AccountStore.open(fresh, EXPIRY_MS, Long.MAX_VALUE, clock);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                .isEqualTo("rwx------");
    }

    private static boolean verify(AccountStore store, long user, int device, String token) {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        return store.openSession(user, device, bytes, bytes.length, 1);
    }

    private static String registered(RegistrationResult result) {
        return token(result, RegistrationResult.Status.CREATED);
    }

    private static String token(RegistrationResult result, RegistrationResult.Status status) {
        assertThat(result.status()).isEqualTo(status);
        assertThat(result.token()).isNotBlank();
        return result.token();
    }

    /** Links {@code device} to the account of {@code user} with a code its primary, holding {@code primary}, got. */
    private String link(long user, String primary, int device) {
        return token(store.register(user, device, null, code(primary)), RegistrationResult.Status.LINKED);
    }

    private String code(String primaryToken) {
        DeviceId caller = store.authenticate(primaryToken);
        assertThat(caller).as("the primary's token authenticates").isNotNull();
        LinkCode code = store.linkCode(caller).orElseThrow();
        assertThat(code.expiresInMs()).isEqualTo(EXPIRY_MS);
        return code.code();
    }

    /** The token hash of the log's first line, whatever its kind. */
    private String firstHash() throws IOException {
        String first = Files.readAllLines(data.resolve(AccountStore.FILE_NAME), StandardCharsets.US_ASCII)
                .get(0);
        return first.split(" ")[3];
    }

    @Test
    void shouldReturnATokenThatVerifiesForTheRegisteredDevice() {
        reopen();

        String token = registered(store.register(ALICE, 1, null));

        assertThat(verify(store, ALICE, 1, token)).isTrue();
        assertThat(store.accountCount()).isEqualTo(1);
    }

    /** A registration flood within the per-address rate must not grow the heap without bound. */
    @Test
    void shouldRefuseANewAccountBeyondTheBoundButStillRotateAndLink() {
        reopen(2);
        String alice = registered(store.register(ALICE, 1, null));
        registered(store.register(BOB, 1, null));

        RegistrationResult third = store.register(7, 1, null);

        assertThat(third.status()).isEqualTo(RegistrationResult.Status.FULL);
        assertThat(third.token()).isNull();
        assertThat(store.deviceMask(7)).isZero();
        assertThat(store.accountCount()).isEqualTo(2);
        String rotated = token(store.register(ALICE, 1, alice), RegistrationResult.Status.ROTATED);
        link(ALICE, rotated, 2);

        reopen(2);
        assertThat(store.accountCount()).isEqualTo(2);
        assertThat(store.register(7, 1, null).status()).isEqualTo(RegistrationResult.Status.FULL);
        assertThatThrownBy(() -> store.registerAll(7, 1, 1, user -> "token-" + user))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accounts.maxAccounts");
    }

    /** Lowering the bound below the accounts a log holds keeps every one of them; only new ones are refused. */
    @Test
    void shouldKeepEveryAccountOfTheLogWhenTheBoundWasLowered() {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        registered(store.register(BOB, 1, null));

        reopen(1);

        assertThat(store.accountCount()).isEqualTo(2);
        assertThat(verify(store, ALICE, 1, alice)).isTrue();
        assertThat(store.register(7, 1, null).status()).isEqualTo(RegistrationResult.Status.FULL);
    }

    @Test
    void shouldVerifyOnlyTheFirstLengthBytesOfTheTokenBuffer() {
        reopen();
        String token = registered(store.register(ALICE, 1, null));
        byte[] padded = (token + "trailing").getBytes(StandardCharsets.US_ASCII);

        assertThat(store.openSession(ALICE, 1, padded, token.length(), 1)).isTrue();
        assertThat(store.openSession(ALICE, 1, padded, padded.length, 2)).isFalse();
    }

    @Test
    void shouldRejectAnotherDevicesOrAnotherUsersTokenOrGarbage() {
        reopen();
        String alice1 = registered(store.register(ALICE, 1, null));
        String alice2 = link(ALICE, alice1, 2);
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
        String alice1 = registered(store.register(ALICE, 1, null));
        String alice2 = link(ALICE, alice1, 2);

        assertThat(store.register(ALICE, 1, alice2).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
    }

    @Test
    void shouldRotateTheTokenWhenReRegisteringWithTheCurrentOne() {
        reopen();
        String first = registered(store.register(ALICE, 1, null));

        String second = token(store.register(ALICE, 1, first), RegistrationResult.Status.ROTATED);

        assertThat(second).isNotEqualTo(first);
        assertThat(verify(store, ALICE, 1, second)).isTrue();
        assertThat(verify(store, ALICE, 1, first)).isFalse();
        assertThat(store.register(ALICE, 1, first).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
    }

    /**
     * Registrations on several threads share the log's forces (group commit) and write their lines whole: after a
     * restart every one of them is there, each with the token it was answered.
     */
    @Test
    void shouldKeepEveryConcurrentRegistrationWholeAcrossARestart() throws Exception {
        reopen();
        int threads = 4;
        int each = 250;
        String[][] tokens = new String[threads][each];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        tokens[thread][i] = registered(store.register(1 + thread * each + i, 1, null));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }

        reopen();
        assertThat(store.accountCount()).isEqualTo(threads * each);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                assertThat(verify(store, 1 + t * each + i, 1, tokens[t][i])).isTrue();
            }
        }
    }

    /**
     * Issue 16, item 6: every rotation added a line that every start replayed, without bound. A log that is mostly
     * history is rewritten at the start as one line per device, and says the same: tokens, primaries, join times.
     */
    @Test
    void shouldCompactALogThatIsMostlyHistoryAndKeepWhatItSays() throws IOException {
        reopen();
        clock.update(1_000);
        String alice = registered(store.register(ALICE, 1, null));
        clock.update(2_000);
        String laptop = link(ALICE, alice, 2);
        String tablet = link(ALICE, alice, 3);
        assertThat(store.remove(new DeviceId(ALICE, 1), 3)).isEqualTo(RemovalResult.REMOVED);
        String bob = registered(store.register(BOB, 1, null));
        for (int i = 0; i < 2_000; i++) {
            bob = token(store.register(BOB, 1, bob), RegistrationResult.Status.ROTATED);
        }
        Path log = data.resolve(AccountStore.FILE_NAME);
        assertThat(Files.readAllLines(log)).hasSizeGreaterThan(2_000);

        reopen();

        assertThat(Files.readAllLines(log)).as("one line per device").hasSize(3);
        assertThat(verify(store, ALICE, 1, alice)).isTrue();
        assertThat(verify(store, ALICE, 2, laptop)).isTrue();
        assertThat(verify(store, ALICE, 3, tablet)).isFalse();
        assertThat(verify(store, BOB, 1, bob)).isTrue();
        assertThat(store.devices(ALICE))
                .extracting(DeviceInfo::device, DeviceInfo::primary, DeviceInfo::createdMs)
                .containsExactly(tuple(1, true, 1_000L), tuple(2, false, 2_000L));
        String rotated = token(store.register(ALICE, 2, laptop), RegistrationResult.Status.ROTATED);
        reopen();
        assertThat(verify(store, ALICE, 2, rotated))
                .as("the compacted log takes appends")
                .isTrue();
        assertThat(Files.readAllLines(log)).hasSize(4);
    }

    @Test
    void shouldCreateANewAccountEvenWhenATokenIsPresented() {
        reopen();

        registered(store.register(ALICE, 1, "whatever"));
    }

    /**
     * The attack of issue 16: anyone could add a device to anyone's account, and this test used to assert that adding
     * device 7 to Alice's account without her consent succeeded. A new device now needs a link code from her primary.
     */
    @Test
    void shouldRefuseANewDeviceOfAnExistingAccountWithoutALinkCode() throws IOException {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        long logged = Files.size(data.resolve(AccountStore.FILE_NAME));

        RegistrationResult attack = store.register(ALICE, 7, null);
        RegistrationResult withHerToken = store.register(ALICE, 7, alice);

        assertThat(attack.status()).isEqualTo(RegistrationResult.Status.CONFLICT);
        assertThat(attack.token()).isNull();
        assertThat(withHerToken.status()).isEqualTo(RegistrationResult.Status.CONFLICT);
        assertThat(store.deviceMask(ALICE)).isEqualTo(1L << 1);
        assertThat(Files.size(data.resolve(AccountStore.FILE_NAME))).isEqualTo(logged);
    }

    @Test
    void shouldSetOneBitPerRegisteredDeviceInTheDeviceMask() {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        link(ALICE, alice, 3);
        link(ALICE, alice, ProtocolLimits.MAX_DEVICE);
        store.register(BOB, 2, null);

        assertThat(store.deviceMask(ALICE)).isEqualTo((1L << 1) | (1L << 3) | (1L << ProtocolLimits.MAX_DEVICE));
        assertThat(store.deviceMask(BOB)).isEqualTo(1L << 2);
        assertThat(store.deviceMask(7)).isZero();
    }

    @Test
    void shouldKeepEveryAccountAcrossCloseAndOpen() {
        reopen();
        String alice1 = registered(store.register(ALICE, 1, null));
        String rotated = token(store.register(ALICE, 1, alice1), RegistrationResult.Status.ROTATED);
        String alice2 = link(ALICE, rotated, 2);
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
        assertThat(store.register(ALICE, 2, null).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
        assertThat(store.authenticate("bulk-1000")).isEqualTo(new DeviceId(1_000, 1));
    }

    @Test
    void shouldRefuseToBulkRegisterADeviceNewToAnExistingAccount() {
        reopen();
        registered(store.register(ALICE, 1, null));

        assertThatThrownBy(() -> store.registerAll(ALICE - 1, 3, 2, user -> "bulk-" + user))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("linkAll");
        assertThat(store.deviceMask(ALICE - 1))
                .as("checked before anything changed")
                .isZero();
        assertThat(store.deviceMask(ALICE)).isEqualTo(1L << 1);
    }

    @Test
    void shouldLinkInBulkWithCodesTheBulkPrimariesObtainAndKeepThemAcrossCloseAndOpen() {
        reopen();
        store.registerAll(1_000, 100, 1, user -> "primary-" + user);

        store.linkAll(1_000, 100, 2, user -> "primary-" + user, user -> "companion-" + user);
        reopen();

        assertThat(store.deviceMask(1_099)).isEqualTo((1L << 1) | (1L << 2));
        assertThat(verify(store, 1_099, 2, "companion-1099")).isTrue();
        assertThat(store.devices(1_099))
                .extracting(DeviceInfo::device, DeviceInfo::primary)
                .containsExactly(tuple(1, true), tuple(2, false));
        assertThatThrownBy(() -> store.linkAll(1_000, 1, 3, user -> "companion-" + user, user -> "third"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("primary");
        assertThatThrownBy(() -> store.linkAll(1_000, 1, 2, user -> "primary-" + user, user -> "again"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONFLICT");
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
        String torn = "create 7 1 " + firstHash().substring(0, 20);
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
        String hash = firstHash();
        Files.writeString(
                log,
                String.join(
                        "\n",
                        "0 1 " + hash,
                        "8 64 " + hash,
                        "9 1 " + hash + " extra",
                        "create 10 1 " + hash,
                        "create 11 0 " + hash + " 5",
                        "link 12 2 " + hash + " 5",
                        "remove " + ALICE + " 1 5",
                        "remove " + ALICE + " 3 5",
                        "token " + ALICE + " 2 " + hash,
                        "create " + ALICE + " 4 " + hash + " 5",
                        "rename 13 1 " + hash,
                        ""),
                StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);

        reopen();

        assertThat(store.accountCount()).isEqualTo(1);
        for (long user = 8; user <= 13; user++) {
            assertThat(store.deviceMask(user)).as("user " + user).isZero();
        }
        assertThat(store.deviceMask(ALICE))
                .as("no line may remove the primary or add to it")
                .isEqualTo(1L << 1);
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

    @Test
    void shouldLinkACompanionWithACodeFromThePrimaryOnlyOnce() {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        String code = code(alice);

        String companion = token(store.register(ALICE, 2, null, code), RegistrationResult.Status.LINKED);
        RegistrationResult again = store.register(ALICE, 3, null, code);

        assertThat(verify(store, ALICE, 2, companion)).isTrue();
        assertThat(store.authenticate(companion)).isEqualTo(new DeviceId(ALICE, 2));
        assertThat(again.status()).isEqualTo(RegistrationResult.Status.LINK_REFUSED);
        assertThat(again.token()).isNull();
        assertThat(store.deviceMask(ALICE)).isEqualTo((1L << 1) | (1L << 2));
    }

    @Test
    void shouldRefuseACodeThatExpiredWasReplacedOrIsForAnotherAccount() {
        reopen();
        clock.update(1_000);
        String alice = registered(store.register(ALICE, 1, null));
        String bob = registered(store.register(BOB, 1, null));
        String expiring = code(alice);
        clock.update(1_000 + EXPIRY_MS);

        RegistrationResult expired = store.register(ALICE, 2, null, expiring);
        String replaced = code(alice);
        String current = code(alice);
        RegistrationResult old = store.register(ALICE, 2, null, replaced);
        RegistrationResult foreign = store.register(BOB, 2, null, current);
        RegistrationResult noAccount = store.register(7, 2, null, current);
        RegistrationResult guessed = store.register(ALICE, 2, null, "AAAAAAAAAAAAAAAAAAAAAAAA");

        for (RegistrationResult refused : List.of(expired, old, foreign, noAccount, guessed)) {
            assertThat(refused.status()).isEqualTo(RegistrationResult.Status.LINK_REFUSED);
        }
        assertThat(store.deviceMask(BOB)).isEqualTo(1L << 1);
        assertThat(store.deviceMask(7)).isZero();
        assertThat(store.accountCount()).isEqualTo(2);
        clock.update(1_000 + 2 * EXPIRY_MS - 1);
        token(store.register(ALICE, 2, null, current), RegistrationResult.Status.LINKED);
        assertThat(bob).isNotEqualTo(alice);
    }

    @Test
    void shouldKeepACodeThatMetAnExistingDevice() {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        String code = code(alice);

        assertThat(store.register(ALICE, 1, null, code).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
        token(store.register(ALICE, 2, null, code), RegistrationResult.Status.LINKED);
    }

    @Test
    void shouldGiveLinkCodesToThePrimaryOnly() {
        reopen();
        String alice = registered(store.register(ALICE, 5, null));
        String companion = link(ALICE, alice, 1);

        assertThat(store.linkCode(store.authenticate(companion))).isEmpty();
        assertThat(store.linkCode(new DeviceId(BOB, 1))).isEmpty();
        assertThat(store.accountCount()).isEqualTo(1);
    }

    @Test
    void shouldHoldAtMostEightDevicesPerAccount() {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        for (int device = 2; device <= ProtocolLimits.MAX_DEVICES_PER_ACCOUNT; device++) {
            link(ALICE, alice, device * 7);
        }
        String code = code(alice);

        RegistrationResult ninth = store.register(ALICE, 60, null, code);

        assertThat(ninth.status()).isEqualTo(RegistrationResult.Status.TOO_MANY_DEVICES);
        assertThat(Long.bitCount(store.deviceMask(ALICE))).isEqualTo(ProtocolLimits.MAX_DEVICES_PER_ACCOUNT);
        assertThat(store.remove(store.authenticate(alice), 14)).isEqualTo(RemovalResult.REMOVED);
        token(store.register(ALICE, 60, null, code), RegistrationResult.Status.LINKED);
    }

    @Test
    void shouldAuthenticateOnlyCurrentTokensOfExistingDevices() {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        String rotated = token(store.register(ALICE, 1, alice), RegistrationResult.Status.ROTATED);

        assertThat(store.authenticate(rotated)).isEqualTo(new DeviceId(ALICE, 1));
        assertThat(store.authenticate(alice)).isNull();
        assertThat(store.authenticate("garbage")).isNull();
        assertThat(store.authenticate("")).isNull();
        assertThat(store.authenticate(null)).isNull();
        assertThat(store.authenticate("x".repeat(ProtocolLimits.MAX_TOKEN_LENGTH + 1)))
                .isNull();
    }

    @Test
    void shouldLetOnlyThePrimaryRemoveACompanionWhoseTokenThenStopsWorking() {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        String companion = link(ALICE, alice, 2);
        link(ALICE, alice, 3);
        DeviceId primary = store.authenticate(alice);

        assertThat(store.remove(store.authenticate(companion), 3)).isEqualTo(RemovalResult.NOT_PRIMARY);
        assertThat(store.remove(primary, 1)).isEqualTo(RemovalResult.PRIMARY);
        assertThat(store.remove(primary, 4)).isEqualTo(RemovalResult.NO_SUCH_DEVICE);
        assertThat(store.remove(primary, 2)).isEqualTo(RemovalResult.REMOVED);

        assertThat(verify(store, ALICE, 2, companion)).isFalse();
        assertThat(store.authenticate(companion)).isNull();
        assertThat(store.deviceMask(ALICE)).isEqualTo((1L << 1) | (1L << 3));
        assertThat(store.remove(primary, 2)).isEqualTo(RemovalResult.NO_SUCH_DEVICE);
        assertThat(store.register(ALICE, 2, companion).status()).isEqualTo(RegistrationResult.Status.CONFLICT);
    }

    /**
     * Push registrations are the device's: kept across a restart and a compaction of the log (one line each), replaced
     * by a new one, ended only with the token the platform refused, and gone with their removed device.
     */
    @Test
    void shouldKeepPushRegistrationsWithTheirDevicesThroughCompactionAndRemoval() throws IOException {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        String laptop = link(ALICE, alice, 2);
        DeviceId aliceLaptop = store.authenticate(laptop);
        String bob = registered(store.register(BOB, 1, null));
        assertThat(store.pushes().registered(ALICE, 1)).isFalse();
        store.pushes().register(store.authenticate(alice), new PushRegistration(PushPlatform.SIM, "phone-1"));
        store.pushes().register(store.authenticate(alice), new PushRegistration(PushPlatform.APNS, "phone-2"));
        store.pushes().register(aliceLaptop, new PushRegistration(PushPlatform.FCM, "laptop-1"));
        assertThat(store.pushes().unregister(ALICE, 2, "laptop-0"))
                .as("a token the device no longer holds")
                .isFalse();
        for (int i = 0; i < 2_000; i++) {
            store.pushes().register(store.authenticate(bob), new PushRegistration(PushPlatform.SIM, "bob-" + i));
        }
        Path log = data.resolve(AccountStore.FILE_NAME);
        assertThat(Files.readAllLines(log)).hasSizeGreaterThan(2_000);

        reopen();

        assertThat(Files.readAllLines(log))
                .as("one line per device and registration")
                .hasSize(6);
        assertThat(store.pushes().target(ALICE, 1)).isEqualTo(new PushRegistration(PushPlatform.APNS, "phone-2"));
        assertThat(store.pushes().target(ALICE, 2)).isEqualTo(new PushRegistration(PushPlatform.FCM, "laptop-1"));
        assertThat(store.pushes().target(BOB, 1)).isEqualTo(new PushRegistration(PushPlatform.SIM, "bob-1999"));
        assertThat(store.pushes().unregister(BOB, 1, "bob-1999")).isTrue();
        assertThat(store.remove(store.authenticate(alice), 2)).isEqualTo(RemovalResult.REMOVED);

        reopen();

        assertThat(store.pushes().registered(ALICE, 1)).isTrue();
        assertThat(store.pushes().registered(ALICE, 2)).isFalse();
        assertThat(store.pushes().registered(BOB, 1)).isFalse();
        link(ALICE, alice, 2);
        assertThat(store.pushes().target(ALICE, 2))
                .as("a device linked later under the number")
                .isNull();
    }

    @Test
    void shouldKeepLinksAndRemovalsAcrossCloseAndOpen() {
        reopen();
        clock.update(5_000);
        String alice = registered(store.register(ALICE, 1, null));
        clock.update(6_000);
        String removed = link(ALICE, alice, 2);
        String kept = link(ALICE, alice, 3);
        store.remove(store.authenticate(alice), 2);

        reopen();

        assertThat(store.deviceMask(ALICE)).isEqualTo((1L << 1) | (1L << 3));
        assertThat(verify(store, ALICE, 2, removed)).isFalse();
        assertThat(store.authenticate(removed)).isNull();
        assertThat(store.authenticate(kept)).isEqualTo(new DeviceId(ALICE, 3));
        assertThat(store.linkCode(store.authenticate(kept)))
                .as("still a companion")
                .isEmpty();
        assertThat(store.linkCode(store.authenticate(alice)))
                .as("still the primary")
                .isPresent();
        assertThat(store.devices(ALICE))
                .containsExactly(new DeviceInfo(1, true, 5_000, false, 0), new DeviceInfo(3, false, 6_000, false, 0));
    }

    @Test
    void shouldReadALogWrittenBeforeLinkingWithTheFirstDeviceAsPrimary() throws IOException {
        reopen();
        String alice = registered(store.register(ALICE, 1, null));
        String hash = firstHash();
        store.close();
        store = null;
        Files.writeString(
                data.resolve(AccountStore.FILE_NAME),
                BOB + " 4 " + hash + "\n" + BOB + " 2 " + hash + "\n",
                StandardCharsets.US_ASCII);

        reopen();

        assertThat(store.deviceMask(BOB)).isEqualTo((1L << 4) | (1L << 2));
        assertThat(store.devices(BOB))
                .containsExactly(new DeviceInfo(2, false, 0, false, 0), new DeviceInfo(4, true, 0, false, 0));
        assertThat(verify(store, ALICE, 1, alice)).isFalse();
        assertThat(store.authenticate(alice))
                .as("two devices share one hash here: the later one is found")
                .isEqualTo(new DeviceId(BOB, 2));
    }

    @Test
    void shouldSayWhichDevicesHaveASessionAndWhenTheLastOneClosed() {
        reopen();
        clock.update(1_000);
        String alice = registered(store.register(ALICE, 1, null));
        String companion = link(ALICE, alice, 2);
        assertThat(openSession(ALICE, 1, alice, 10)).isTrue();
        assertThat(openSession(ALICE, 2, companion, 20)).isTrue();
        clock.update(2_000);
        assertThat(openSession(ALICE, 2, companion, 21)).isTrue();
        store.sessionClosed(ALICE, 2, 20);
        store.sessionClosed(ALICE, 1, 10);
        clock.update(3_000);

        assertThat(store.devices(ALICE))
                .containsExactly(
                        new DeviceInfo(1, true, 1_000, false, 2_000), new DeviceInfo(2, false, 1_000, true, 3_000));
        store.sessionClosed(ALICE, 2, 21);
        assertThat(store.devices(ALICE).get(1)).isEqualTo(new DeviceInfo(2, false, 1_000, false, 3_000));
        assertThat(openSession(BOB, 1, alice, 30)).isFalse();
        store.sessionClosed(ALICE, 3, 30);
        assertThat(store.devices(BOB)).isEmpty();
    }

    /** A rotation names the session the old token opened, for the transport to close; a refused hello records none. */
    @Test
    void shouldNameTheSessionOfTheOldTokenWhenRotating() {
        reopen();
        String first = registered(store.register(ALICE, 1, null));
        assertThat(openSession(ALICE, 1, first, 10)).isTrue();

        RegistrationResult rotated = store.register(ALICE, 1, first);

        assertThat(rotated.status()).isEqualTo(RegistrationResult.Status.ROTATED);
        assertThat(rotated.oldSession()).isEqualTo(10);
        assertThat(openSession(ALICE, 1, first, 11)).isFalse();
        RegistrationResult again = store.register(ALICE, 1, rotated.token());
        assertThat(again.oldSession())
                .as("the session stays the device's until it closes")
                .isEqualTo(10);
        store.sessionClosed(ALICE, 1, 10);
        assertThat(store.register(ALICE, 1, again.token()).oldSession()).isZero();
    }

    private boolean openSession(long user, int device, String token, long connection) {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        return store.openSession(user, device, bytes, bytes.length, connection);
    }
}
