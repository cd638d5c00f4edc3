package io.switchboard.core.media;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 implementation in this JVM: S3Proxy over its in-memory blob store, with V4 signatures checked, on a free
 * loopback port. It can be stopped and started again on the same port with the same blobs, to play a store that is
 * down for a while.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String BUCKET = "media";
    static final String ACCESS_KEY = "switchboard";
    static final String SECRET_KEY = "switchboard-secret";

    private final TransientNio2BlobStore blobs = new TransientNio2BlobStore();
    private S3Proxy proxy;
    private int port;

    S3ProxyServer() throws Exception {
        start(0);
        blobs.createContainer(BUCKET);
    }

    private void start(int onPort) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:" + onPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.onSpinWait();
        }
        port = proxy.getPort();
    }

    /** The settings of a server whose media store is this S3. */
    Map<String, Object> settings() {
        return Map.of(
                "media.store",
                "s3",
                "media.s3.endpoint",
                "http://127.0.0.1:" + port,
                "media.s3.bucket",
                BUCKET,
                "media.s3.accessKey",
                ACCESS_KEY,
                "media.s3.secretKey",
                SECRET_KEY,
                "media.s3.pathStyle",
                true);
    }

    void stop() throws Exception {
        proxy.stop();
    }

    /** Starts again on the same port, with the blobs it had. */
    void restart() throws Exception {
        start(port);
    }

    /** The bucket's objects, listed through S3 itself. */
    List<S3Object> objects() {
        try (S3Client s3 = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build()) {
            return s3.listObjectsV2(b -> b.bucket(BUCKET)).contents();
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
