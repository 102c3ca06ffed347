package com.sparkvae.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * An S3 store for the tests: S3Proxy over an in-memory store, in a JVM of its own (the s3-test-server module), on
 * loopback, with one bucket; and the S3A settings that reach it, as a user gives them. Its conditional PUTs are
 * atomic, as S3's are.
 */
public final class S3TestStore implements AutoCloseable {
    public static final String BUCKET = "models";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-TOPSECRET";
    private final Process server;
    private final String endpoint;

    private S3TestStore(Process server, String endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    public static S3TestStore start() throws IOException, InterruptedException {
        Path classpath = Path.of("..", "s3-test-server", "target", "s3-test-server-classpath.txt");
        Path jar = Files.list(Path.of("..", "s3-test-server", "target"))
                .filter(f -> f.getFileName().toString().endsWith(".jar")).findFirst()
                .orElseThrow(() -> new IllegalStateException("build s3-test-server first (mvn package)"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", jar.toAbsolutePath() + ":" + Files.readString(classpath).trim(),
                "com.sparkvae.s3server.S3TestServer", BUCKET, ACCESS_KEY, SECRET_KEY);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("ENDPOINT ")) {
                return new S3TestStore(p, line.substring("ENDPOINT ".length()).trim());
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the S3 test server did not start");
    }

    /** {@code s3a://bucket/path}. */
    public String uri(String path) {
        return "s3a://" + BUCKET + "/" + path.replaceAll("^/+", "");
    }

    /** The S3A settings that reach this store. */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fs.s3a.endpoint", endpoint);
        m.put("fs.s3a.endpoint.region", "us-east-1");
        m.put("fs.s3a.path.style.access", "true");
        m.put("fs.s3a.connection.ssl.enabled", "false");
        m.put("fs.s3a.access.key", ACCESS_KEY);
        m.put("fs.s3a.secret.key", SECRET_KEY);
        m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        // Hadoop 3.3.4 deletes the parent directory markers after every PUT unless told to keep them (3.5 keeps).
        m.put("fs.s3a.directory.marker.retention", "keep");
        m.put("fs.s3a.retry.limit", "2");
        m.put("fs.s3a.attempts.maximum", "2");
        return m;
    }

    /** A Hadoop configuration with {@link #settings()}, its file systems not cached across stores. */
    public Configuration conf() {
        Configuration c = new Configuration();
        settings().forEach(c::set);
        c.setBoolean("fs.s3a.impl.disable.cache", true);
        return c;
    }

    /** spark-submit's arguments for S3A: its jars, as users add them, and the settings as --conf spark.hadoop.*. */
    public List<String> sparkSubmitArgs() throws IOException {
        List<String> jars = new ArrayList<>();
        for (String file : List.of("hadoop-aws-classpath-", "s3a-classpath-")) {
            jars.addAll(List.of(Files.readString(Path.of("target", file + SparkTestSupport.sparkLine() + ".txt"))
                    .trim().split(":")));
        }
        List<String> args = new ArrayList<>(List.of("--jars", String.join(",", jars)));
        settings().forEach((k, v) -> args.addAll(List.of("--conf", "spark.hadoop." + k + "=" + v)));
        return args;
    }

    @Override
    public void close() throws Exception {
        server.getOutputStream().close();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }
}
