package io.switchboard.core.media;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.switchboard.core.config.DataDirectories;
import io.switchboard.core.config.MediaContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects of one S3 bucket, keyed by their id, through the AWS SDK v2 with its blocking URL-connection client
 * (not the SDK's Netty client, which would bring a Netty of its own). An upload streams its body into one PUT with the
 * declared {@code Content-Length}: S3 makes an object visible only once the PUT completes, so a failed or aborted
 * upload leaves nothing. A blob's age is the object's {@code Last-Modified}; its owner is the object's user metadata
 * {@code x-amz-meta-owner}, written by the same PUT. A listing does not carry user metadata, so a start that counts
 * what each user holds, and a sweep that gives back what it deleted, ask for each object's head: one request per
 * object, at a start, and per expired object, at a sweep.
 *
 * <p>A read first copies the requested range into an unlinked file of {@code <data>/media/spool} and then lets the I/O
 * loop send that file: the loop never waits on S3, and a slow client holds a file descriptor and disk space, not a
 * thread or heap. The copy costs time to first byte (the range's transfer from S3) and disk bandwidth.
 */
public final class S3MediaStore implements MediaStore {
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";
    private static final int NOT_FOUND = 404;
    private static final int RANGE_NOT_SATISFIABLE = 416;
    private static final String OWNER = "owner";
    /**
     * Without {@code media.maxStoreBytes} the bucket is bounded at 1 TiB: S3 tells no free space, and the operator's
     * bill, not a disk, is what a bound protects.
     */
    private static final long DEFAULT_MAX_BYTES = 1L << 40;

    private final S3Client s3;
    private final String bucket;
    private final Path spool;

    private S3MediaStore(S3Client s3, String bucket, Path spool) {
        this.s3 = s3;
        this.bucket = bucket;
        this.spool = spool;
    }

    /** A client for {@code context}'s bucket; nothing is asked of S3 until the first request. */
    public static S3MediaStore open(MediaContext context, Path spool) throws IOException {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .region(Region.of(context.s3Region()))
                .credentialsProvider(credentials(context))
                .forcePathStyle(context.s3PathStyle())
                // Checksums only where S3 requires them: a body streamed once cannot be read again to compute one.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (context.s3Endpoint() != null) {
            builder.endpointOverride(URI.create(context.s3Endpoint()));
        }
        return new S3MediaStore(builder.build(), context.s3Bucket(), DataDirectories.ownerOnly(spool));
    }

    private static AwsCredentialsProvider credentials(MediaContext context) {
        return context.s3AccessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(context.s3AccessKey(), context.s3SecretKey()));
    }

    @Override
    public void put(String id, long owner, long sizeBytes, InputStream content) throws IOException {
        // The SDK asks for the body again to retry; the upload's body streams past once, so a retry fails instead of
        // sending a truncated object.
        AtomicBoolean taken = new AtomicBoolean();
        RequestBody body = RequestBody.fromContentProvider(
                () -> {
                    if (taken.getAndSet(true)) {
                        throw new IllegalStateException("an upload's body can be sent once; the client retries");
                    }
                    return content;
                },
                sizeBytes,
                CONTENT_TYPE);
        try {
            s3.putObject(
                    b -> b.bucket(bucket)
                            .key(id)
                            .contentLength(sizeBytes)
                            .contentType(CONTENT_TYPE)
                            .metadata(Map.of(OWNER, Long.toString(owner))),
                    body);
        } catch (SdkException | IllegalStateException e) {
            throw new IOException("S3 put of " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public BlobInfo stat(String id) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(id));
            String owner = head.metadata().get(OWNER);
            return new BlobInfo(
                    owner == null ? BlobInfo.NO_OWNER : Long.parseLong(owner),
                    head.contentLength(),
                    head.lastModified().toEpochMilli());
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return null;
            }
            throw failed("head", id, e);
        } catch (SdkException e) {
            throw failed("head", id, e);
        }
    }

    @Override
    public ChunkedInput<ByteBuf> open(String id, long offset, long length) throws IOException {
        // DELETE_ON_CLOSE unlinks the file as it opens it (POSIX): nothing is left behind, whatever happens next.
        FileChannel copy = FileChannel.open(
                spool.resolve(MediaIds.next()),
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        try {
            if (length == 0) {
                return new ChunkedNioFile(copy, 0, 0, CHUNK_BYTES);
            }
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            try (ResponseInputStream<GetObjectResponse> in =
                    s3.getObject(b -> b.bucket(bucket).key(id).range(range))) {
                long copied = copy.transferFrom(Channels.newChannel(in), 0, length);
                if (copied != length) {
                    throw new IOException("S3 gave " + copied + " bytes of " + id + ", not " + length);
                }
            }
            return new ChunkedNioFile(copy, 0, length, CHUNK_BYTES);
        } catch (S3Exception e) {
            copy.close();
            if (e.statusCode() == NOT_FOUND || e.statusCode() == RANGE_NOT_SATISFIABLE) {
                return null;
            }
            throw failed("get", id, e);
        } catch (SdkException e) {
            copy.close();
            throw failed("get", id, e);
        } catch (IOException | RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    @Override
    public int deleteStoredBefore(long cutoffMs, Consumer<BlobInfo> deleted) throws IOException {
        int count = 0;
        try {
            for (S3Object object : blobs()) {
                if (object.lastModified().toEpochMilli() < cutoffMs) {
                    BlobInfo info = stat(object.key());
                    s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                    if (info != null) {
                        deleted.accept(info);
                        count++;
                    }
                }
            }
        } catch (SdkException e) {
            throw failed("expiry sweep", bucket, e);
        }
        return count;
    }

    @Override
    public void scan(Consumer<BlobInfo> each) throws IOException {
        try {
            for (S3Object object : blobs()) {
                BlobInfo info = stat(object.key());
                if (info != null) {
                    each.accept(info);
                }
            }
        } catch (SdkException e) {
            throw failed("scan", bucket, e);
        }
    }

    /** The bucket's objects named by a media id (anything else in the bucket is not the store's). */
    private Iterable<S3Object> blobs() {
        return () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .filter(object -> MediaIds.valid(object.key()))
                .iterator();
    }

    @Override
    public long defaultMaxBytes(long heldBytes) {
        return DEFAULT_MAX_BYTES;
    }

    private static IOException failed(String what, String name, SdkException e) {
        return new IOException("S3 " + what + " of " + name + " failed: " + e.getMessage(), e);
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void close() {
        s3.close();
    }
}
