package io.switchboard.simulator.media;

import io.switchboard.core.config.MediaContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 for a simulator run whose server settings say {@code media.store: s3proxy}: S3Proxy in the simulator's
 * JVM, over a file-system blob store under the run's data directory (blobs on disk, not in the heap), on a free
 * loopback port, checking V4 signatures as S3 does. The server is then given {@code media.store: s3} and the {@code
 * media.s3.*} settings that name it, so it talks to S3Proxy through the AWS SDK exactly as it would to any S3.
 */
public final class S3ProxyStore implements AutoCloseable {
    /** The {@code media.store} value that asks the simulator for this store; no server knows it. */
    public static final String STORE = "s3proxy";

    private static final String BUCKET = "media";
    private static final String ACCESS_KEY = "switchboard";
    private static final String SECRET_KEY = "switchboard-simulator";

    private final S3Proxy proxy;

    private S3ProxyStore(Path dir) throws Exception {
        Files.createDirectories(dir);
        FilesystemNio2BlobStore blobs = new FilesystemNio2BlobStore(dir.toString());
        blobs.createContainer(BUCKET);
        proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState())) {
                throw new IllegalStateException("S3Proxy did not start");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * {@code server} as the server gets it: when it asks for {@code media.store: s3proxy}, S3Proxy is started with
     * its blobs under {@code dir} and the settings name it; otherwise nothing starts and the result is null.
     */
    public static S3ProxyStore startIfAsked(Map<String, String> server, Path dir) throws Exception {
        return STORE.equals(server.get(MediaContext.STORE_PROP)) ? new S3ProxyStore(dir) : null;
    }

    /** {@code server} with {@code media.store: s3} and the {@code media.s3.*} settings of this S3Proxy. */
    public Map<String, String> settings(Map<String, String> server) {
        Map<String, String> settings = new LinkedHashMap<>(server);
        settings.put(MediaContext.STORE_PROP, "s3");
        settings.put(MediaContext.S3_ENDPOINT_PROP, "http://127.0.0.1:" + proxy.getPort());
        settings.put(MediaContext.S3_BUCKET_PROP, BUCKET);
        settings.put(MediaContext.S3_ACCESS_KEY_PROP, ACCESS_KEY);
        settings.put(MediaContext.S3_SECRET_KEY_PROP, SECRET_KEY);
        settings.put(MediaContext.S3_PATH_STYLE_PROP, "true");
        return settings;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
