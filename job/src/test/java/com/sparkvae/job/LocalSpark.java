package com.sparkvae.job;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local Spark session for a test class, started before its first test (and before its own {@code @BeforeAll}
 * methods) and stopped after its last:
 * <pre>
 *   &#64;RegisterExtension
 *   static final LocalSpark SPARK = new LocalSpark(2);
 * </pre>
 * On loopback, without the UI, as every test of this project runs Spark; its in-memory catalog keeps the tables a
 * test saves in a temporary warehouse, removed with the session.
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback {
    private final int cores;
    private final java.util.Map<String, String> settings;
    private SparkSession session;
    private java.nio.file.Path warehouse;

    public LocalSpark(int cores) {
        this(cores, java.util.Map.of());
    }

    /** A session with these Spark settings besides the usual ones (a cluster's, that local mode can take). */
    public LocalSpark(int cores, java.util.Map<String, String> settings) {
        this.cores = cores;
        this.settings = java.util.Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws java.io.IOException {
        warehouse = java.nio.file.Files.createTempDirectory("spark-vae-warehouse");
        SparkSession.Builder builder = SparkSession.builder();
        settings.forEach(builder::config);
        session = builder
                .master("local[" + cores + "]")
                .appName("spark-vae-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
                .getOrCreate();
    }

    @Override
    public void afterAll(ExtensionContext context) throws java.io.IOException {
        if (session != null) {
            session.stop();
            session = null;
        }
        if (warehouse != null) {
            org.apache.commons.io.FileUtils.deleteDirectory(warehouse.toFile());
        }
    }

    public SparkSession session() {
        if (session == null) {
            throw new IllegalStateException("no Spark session: register LocalSpark as a static @RegisterExtension");
        }
        return session;
    }

    public JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }
}
