package dev.palisade.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.rest.AuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** s3proxy speaks the S3 protocol: an independent S3 client (jclouds' aws-s3 provider) stores and reads back. */
class S3ServerTest {

    @TempDir
    Path data;

    @Test
    void storesAndReturnsObjectsOverTheS3Protocol() throws IOException {
        try (S3Server s3 = new S3Server(FreePorts.next(), data, "access", "secret-key-for-test").start();
                BlobStoreContext client = s3Client(s3, "secret-key-for-test")) {
            BlobStore store = client.getBlobStore();
            store.createContainerInLocation(null, "backups");
            store.putBlob("backups", store.blobBuilder("epg/2026-11-24.xml").payload("<tv/>").build());
            try (InputStream in = store.getBlob("backups", "epg/2026-11-24.xml").getPayload().openStream()) {
                assertEquals("<tv/>", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void refusesRequestsSignedWithTheWrongSecret() throws IOException {
        try (S3Server s3 = new S3Server(FreePorts.next(), data, "access", "secret-key-for-test").start();
                BlobStoreContext client = s3Client(s3, "not-the-secret")) {
            assertThrows(AuthorizationException.class, () -> client.getBlobStore().createContainerInLocation(null, "backups"));
        }
    }

    private static BlobStoreContext s3Client(S3Server s3, String secret) {
        return ContextBuilder.newBuilder("s3")
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), secret)
                .buildView(BlobStoreContext.class);
    }
}
