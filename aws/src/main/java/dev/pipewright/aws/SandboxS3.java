package dev.pipewright.aws;

import java.net.URI;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;

/**
 * S3 served by s3proxy in this JVM: a real S3 implementation that checks SigV4 signatures and
 * decodes aws-chunked uploads, storing objects in a temporary folder. Only loaded when s3proxy
 * is on the classpath (an optional dependency).
 */
final class SandboxS3 {
    private final S3ProxyJunitCore proxy;

    private SandboxS3(S3ProxyJunitCore proxy) {
        this.proxy = proxy;
    }

    /** Whether s3proxy is on the classpath. */
    static boolean available() {
        try {
            Class.forName("org.gaul.s3proxy.junit.S3ProxyJunitCore", false, SandboxS3.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Starts s3proxy on a random port of 127.0.0.1, accepting only the given credentials. */
    static SandboxS3 start(String accessKeyId, String secretAccessKey) {
        S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder().withCredentials(accessKeyId, secretAccessKey).build();
        try {
            proxy.beforeEach();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start s3proxy for the sandbox: " + e.getMessage(), e);
        }
        return new SandboxS3(proxy);
    }

    URI endpoint() {
        return proxy.getUri();
    }

    void stop() {
        proxy.afterEach();
    }
}
