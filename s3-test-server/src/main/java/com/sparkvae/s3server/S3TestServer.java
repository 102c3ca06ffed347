package com.sparkvae.s3server;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * S3Proxy on 127.0.0.1 at a free port, over jclouds' in-memory store with one bucket, until its standard input
 * closes (so it ends with the test that started it). Prints {@code ENDPOINT http://127.0.0.1:<port>} when it
 * serves. Unknown headers are ignored (the AWS SDK v2 sends checksum headers S3Proxy would refuse), and a
 * conditional PUT is atomic ({@link AtomicConditionalBlobStore}).
 *   S3TestServer BUCKET ACCESS_KEY SECRET_KEY
 */
public final class S3TestServer {
    private S3TestServer() {
    }

    public static void main(String[] args) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, args[0]);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new AtomicConditionalBlobStore(context.getBlobStore()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[1], args[2])
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        System.out.println("ENDPOINT http://127.0.0.1:" + proxy.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the starter closes our standard input, or dies
        }
        proxy.stop();
        context.close();
    }
}
