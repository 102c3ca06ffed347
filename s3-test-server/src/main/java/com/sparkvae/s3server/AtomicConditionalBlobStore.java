package com.sparkvae.s3server;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;
import org.jclouds.io.Payload;
import org.jclouds.io.Payloads;

/**
 * Makes S3Proxy's conditional PUT (If-None-Match: *, If-Match: etag) atomic over a jclouds store that has no conditional write of
 * its own (transient). S3Proxy 3.0.0 emulates it by a HEAD then a PUT, so two racing writers can both win; here every
 * PUT takes one lock and a conditional one checks again under it. The condition reaches the store as S3Proxy's
 * PutOptions2 (3.0.0; read by reflection so this compiles against 2.6.0, which passes no condition at all).
 * A refusal is an HttpResponseException with status 412, which S3Proxy answers as 412 PreconditionFailed.
 */
final class AtomicConditionalBlobStore extends ForwardingBlobStore {
    private final Object lock = new Object();

    AtomicConditionalBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        String ifNoneMatch = condition(options, "getIfNoneMatch");
        String ifMatch = condition(options, "getIfMatch");
        // read the body before taking the lock, so a slow upload holds nobody up
        buffer(blob);
        synchronized (lock) {
            if ("*".equals(ifNoneMatch) && delegate().blobExists(container, blob.getMetadata().getName())) {
                throw new HttpResponseException("PreconditionFailed: " + blob.getMetadata().getName() + " exists",
                        null, HttpResponse.builder().statusCode(412).build());
            }
            if (ifMatch != null) {
                org.jclouds.blobstore.domain.BlobMetadata m = delegate().blobMetadata(container, blob.getMetadata().getName());
                if (m == null) {
                    throw new HttpResponseException("NoSuchKey: " + blob.getMetadata().getName(), null,
                            HttpResponse.builder().statusCode(404).build());
                }
                if (!"*".equals(ifMatch) && !unquote(ifMatch).equals(unquote(m.getETag()))) {
                    throw new HttpResponseException("PreconditionFailed: " + blob.getMetadata().getName() + " has etag "
                            + m.getETag(), null, HttpResponse.builder().statusCode(412).build());
                }
            }
            return delegate().putBlob(container, blob, options);
        }
    }

    private static void buffer(Blob blob) {
        Payload p = blob.getPayload();
        try (InputStream in = p.openStream()) {
            // Not readAllBytes(): S3Proxy's ChunkedInputStream (aws-chunked uploads, as the v1 SDK sends) answers
            // read(b, off, 0) with -1, which InputStream.readNBytes takes for the end after its first 8 KiB.
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf, 0, buf.length)) != -1; ) {
                all.write(buf, 0, n);
            }
            byte[] bytes = all.toByteArray();
            Payload copy = Payloads.newByteArrayPayload(bytes);
            copy.setContentMetadata(p.getContentMetadata());
            copy.getContentMetadata().setContentLength((long) bytes.length);
            blob.setPayload(copy);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    private static String condition(PutOptions options, String getter) {
        try {
            Method m = options.getClass().getMethod(getter);
            return (String) m.invoke(options);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
