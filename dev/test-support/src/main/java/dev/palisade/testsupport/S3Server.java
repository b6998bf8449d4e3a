package dev.palisade.testsupport;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible object store (s3proxy over a local directory) on 127.0.0.1, with AWS signature V4
 * authentication, for backup tests and the local stack. Needs {@code org.gaul:s3proxy} on the classpath.
 */
public final class S3Server implements AutoCloseable {

    private final int port;
    private final Path directory;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;
    private BlobStoreContext context;

    public S3Server(int port, Path directory, String accessKey, String secretKey) {
        this.port = port;
        this.directory = directory;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public synchronized S3Server start() {
        if (proxy != null) {
            return this;
        }
        try {
            Files.createDirectories(directory);
            Properties overrides = new Properties();
            overrides.setProperty("jclouds.filesystem.basedir", directory.toString());
            context = ContextBuilder.newBuilder("filesystem")
                    .credentials(accessKey, secretKey)
                    .overrides(overrides)
                    .build(BlobStoreContext.class);
            BlobStore store = context.getBlobStore();
            proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!proxy.getState().equals("STARTED")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("s3proxy did not reach STARTED within 30 s");
                }
                Thread.sleep(50);
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("S3 (s3proxy) did not start on 127.0.0.1:" + port + " over " + directory
                    + ": " + e.getMessage(), e);
        }
        return this;
    }

    public synchronized void stop() {
        try {
            if (proxy != null) {
                proxy.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop cleanly: " + e.getMessage(), e);
        } finally {
            proxy = null;
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }
}
