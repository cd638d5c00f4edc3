package io.switchboard.core.accounts;

import io.switchboard.core.protocol.ProtocolLimits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registered users and devices with their tokens, kept in {@code accounts.log} in the data directory so that a
 * restart keeps them. The log is append-only, one line per registration ({@code user device sha256(token)}), forced
 * to disk before the token is returned: a client never holds a token the server could forget.
 *
 * <p>Thread-safe. Lookups ({@link #deviceMask}, {@link #verify}) are lock-striped and allocation-free apart from the
 * hash of a presented token; registrations serialise on the log.
 */
public final class AccountStore implements AutoCloseable {
    public static final String FILE_NAME = "accounts.log";
    private static final Logger LOG = LoggerFactory.getLogger(AccountStore.class);
    private static final int TOKEN_BYTES = 32;

    private final AccountDirectory directory = new AccountDirectory();
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(AccountStore::newDigest);
    private final FileChannel log;

    private AccountStore(FileChannel log) {
        this.log = log;
    }

    /** Opens (creating if needed) the account log in {@code dataDir} and loads every account in it. */
    public static AccountStore open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve(FILE_NAME);
            FileChannel log = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            cutTornTail(file, log);
            AccountStore store = new AccountStore(log);
            store.load(file);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the account log in " + dataDir, e);
        }
    }

    /**
     * Cuts a last line that a crash left without its newline: that registration was never answered, and appending
     * after it would glue the next registration onto it.
     */
    private static void cutTornTail(Path file, FileChannel log) throws IOException {
        long size = log.size();
        long end = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (end > 0) {
            one.clear();
            log.read(one, end - 1);
            if (one.get(0) == '\n') {
                break;
            }
            end--;
        }
        if (end < size) {
            LOG.warn("{}: cut {} byte(s) of a registration torn by a crash", file, size - end);
            log.truncate(end);
            log.force(true);
        }
        log.position(end);
    }

    private void load(Path file) throws IOException {
        int lines = 0;
        int skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines++;
                String[] parts = line.split(" ");
                try {
                    long user = Long.parseLong(parts[0]);
                    int device = Integer.parseInt(parts[1]);
                    byte[] hash = HexFormat.of().parseHex(parts[2]);
                    if (parts.length != 3 || hash.length != 32 || !validIds(user, device)) {
                        throw new IllegalArgumentException();
                    }
                    directory.update(user, account -> {
                        account.setToken(device, hash);
                        return null;
                    });
                } catch (RuntimeException e) {
                    // A torn last line after a crash: its registration was never answered, so dropping it is safe.
                    skipped++;
                }
            }
        }
        if (skipped > 0) {
            LOG.warn("{}: skipped {} unreadable line(s) of {}", file, skipped, lines);
        }
    }

    static boolean validIds(long user, int device) {
        return user >= 1 && user <= ProtocolLimits.MAX_ID && device >= 1 && device <= ProtocolLimits.MAX_DEVICE;
    }

    /**
     * Registers a device, or rotates its token when {@code currentToken} is the device's token now.
     *
     * @throws IllegalArgumentException when the ids are out of range
     */
    public RegistrationResult register(long user, int device, String currentToken) {
        if (!validIds(user, device)) {
            throw new IllegalArgumentException(
                    "user must be in 1.." + ProtocolLimits.MAX_ID + " and device in 1.." + ProtocolLimits.MAX_DEVICE);
        }
        byte[] presented = currentToken == null ? null : hash(currentToken.getBytes(StandardCharsets.US_ASCII));
        return directory.update(user, account -> {
            if (account.hasDevice(device) && (presented == null || !account.tokenMatches(device, presented))) {
                return RegistrationResult.conflict();
            }
            String token = newToken();
            byte[] tokenHash = hash(token.getBytes(StandardCharsets.US_ASCII));
            append(user, device, tokenHash);
            account.setToken(device, tokenHash);
            return RegistrationResult.registered(token);
        });
    }

    private synchronized void append(long user, int device, byte[] tokenHash) {
        write(ByteBuffer.wrap(line(user, device, tokenHash)));
        force();
    }

    private static byte[] line(long user, int device, byte[] tokenHash) {
        return (user + " " + device + " " + HexFormat.of().formatHex(tokenHash) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void write(ByteBuffer buffer) {
        try {
            while (buffer.hasRemaining()) {
                log.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the account log", e);
        }
    }

    private void force() {
        try {
            log.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the account log", e);
        }
    }

    /**
     * Registers device {@code device} of users {@code firstUser .. firstUser + count - 1} with tokens the caller
     * chose, writing the same log lines as {@link #register} but forcing the log once at the end instead of once per
     * account. For a load generator that preloads the accounts of an embedded server it owns, before any client
     * connects: nobody holds one of these tokens until this returns, so the single force loses no promise. Devices
     * that exist already get the new token.
     *
     * @throws IllegalArgumentException when an id is out of range
     */
    public synchronized void registerAll(long firstUser, int count, int device, LongFunction<String> tokenOf) {
        if (count < 0 || !validIds(firstUser, device) || !validIds(firstUser + Math.max(0, count - 1), device)) {
            throw new IllegalArgumentException("users or device out of range");
        }
        ByteBuffer batch = ByteBuffer.allocate(1 << 20);
        for (long user = firstUser; user < firstUser + count; user++) {
            byte[] tokenHash = hash(tokenOf.apply(user).getBytes(StandardCharsets.US_ASCII));
            byte[] line = line(user, device, tokenHash);
            if (batch.remaining() < line.length) {
                write(batch.flip());
                batch.clear();
            }
            batch.put(line);
            directory.update(user, account -> {
                account.setToken(device, tokenHash);
                return null;
            });
        }
        write(batch.flip());
        force();
    }

    /** True when {@code token[0..length)} is the current token of that device. */
    public boolean verify(long user, int device, byte[] token, int length) {
        if (!validIds(user, device)) {
            return false;
        }
        MessageDigest digest = sha256.get();
        digest.update(token, 0, length);
        return directory.tokenMatches(user, device, digest.digest());
    }

    /** The user's registered devices as a bit mask (bit d for device d), 0 for an unknown user. */
    public long deviceMask(long user) {
        return directory.deviceMask(user);
    }

    public int accountCount() {
        return directory.size();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private byte[] hash(byte[] bytes) {
        return sha256.get().digest(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("closing the account log", e);
        }
    }
}
