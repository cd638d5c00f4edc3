package io.switchboard.core.limits;

import io.switchboard.core.config.LimitsContext;
import io.switchboard.core.config.RateLimit;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.agrona.concurrent.NanoClock;

/**
 * The HTTP rate limits of the remote addresses one I/O loop serves: registrations, link codes, privacy changes, media
 * uploads and key fetches, a bucket each per address. Owned by that loop's thread: every loop keeps its own table, so
 * an address whose connections land on several loops gets up to {@code transport.ioThreads} times the rate, and no
 * lock is taken.
 *
 * <p>The table holds at most {@code limits.addresses} addresses; the least recently used is dropped to make room,
 * which leaves that address a full bucket when it comes back. An IPv6 address counts by its /64 prefix, since one host
 * is given a whole /64; addresses that are not IP (in-process clients) share one bucket.
 */
public final class AddressLimits {
    /** Keys of IPv6 prefixes have this bit set and IPv4 keys never do, so the two cannot meet. */
    private static final long IPV6 = 1L << 63;

    private final LimitsContext limits;
    private final NanoClock clock;
    private final Map<Long, TokenBucket[]> buckets;

    public AddressLimits(LimitsContext limits, NanoClock clock) {
        this.limits = limits;
        this.clock = clock;
        int capacity = limits.addresses();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, TokenBucket[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Takes one {@code kind} (a registration, a link code, a privacy change, a media upload or a key fetch) for {@code
     * remote}. Returns 0 when it may go on, otherwise how many nanoseconds until it could have.
     */
    public long take(LimitKind kind, SocketAddress remote) {
        RateLimit limit = switch (kind) {
            case REGISTRATION -> limits.registrations();
            case LINK_CODE -> limits.linkCodes();
            case PRIVACY_CHANGE -> limits.privacyChanges();
            case MEDIA_UPLOAD -> limits.mediaUploads();
            case KEY_FETCH -> limits.keyFetches();
            default -> throw new IllegalArgumentException(kind + " is not limited per address");
        };
        if (limit.off()) {
            return 0;
        }
        long nowNs = clock.nanoTime();
        TokenBucket[] perKind = buckets.computeIfAbsent(key(remote), k -> newBuckets(nowNs));
        return perKind[bucket(kind)].take(limit, 1, nowNs);
    }

    /** Addresses in the table now. */
    public int size() {
        return buckets.size();
    }

    /** The bucket's place in an address's array, one per kind limited per address. */
    private static int bucket(LimitKind kind) {
        return switch (kind) {
            case REGISTRATION -> 0;
            case LINK_CODE -> 1;
            case PRIVACY_CHANGE -> 2;
            case MEDIA_UPLOAD -> 3;
            default -> 4;
        };
    }

    private static TokenBucket[] newBuckets(long nowNs) {
        TokenBucket[] buckets = new TokenBucket[5];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new TokenBucket(nowNs);
        }
        return buckets;
    }

    static long key(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            byte[] bytes = inet.getAddress().getAddress();
            if (inet.getAddress() instanceof Inet4Address) {
                return (bytes[0] & 0xFFL) << 24
                        | (bytes[1] & 0xFFL) << 16
                        | (bytes[2] & 0xFFL) << 8
                        | (bytes[3] & 0xFFL);
            }
            if (inet.getAddress() instanceof Inet6Address) {
                long prefix = 0;
                for (int i = 0; i < 8; i++) {
                    prefix = prefix << 8 | (bytes[i] & 0xFFL);
                }
                return prefix | IPV6;
            }
        }
        return -1;
    }
}
