package com.sparkvae.job.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.cluster.SparkLine;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.EpochMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code manifest.json}: how a model was made (options, data, versions, machine), what it reached (final and best
 * metrics, timings) and, under a model root, the promotion decision. Floating-point results differ across platforms,
 * so the JVM, OS and library versions are part of the record.
 */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {
    }

    static String build(TrainConfig cfg, ShardedData train, java.util.Optional<ShardedData> test, Trainer.Result result,
                        Instant started, Instant finished, String sparkVersion, Map<String, Object> promotion,
                        String initialisedFrom) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "spark-vae-manifest-1");
        m.put("config", cfg.asKeyValues());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train", dataset(train));
        test.ifPresent(t -> data.put("test", dataset(t)));
        m.put("data", data);
        m.put("schedule", result.schedule().asJson());
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("driver_peak_resident_bytes", result.peakDriverBytes());
        memory.put("executor_peak_resident_bytes", result.peakExecutorBytes());
        m.put("memory", memory);
        m.put("initialised_from", initialisedFrom.isEmpty() ? "seed " + cfg.seed() : initialisedFrom);
        List<EpochMetrics> epochs = result.epochs();
        if (!epochs.isEmpty()) {
            EpochMetrics last = epochs.get(epochs.size() - 1);
            m.put("final", last.asJson());
            epochs.stream().filter(e -> e.testNegElbo().isPresent())
                    .min((a, b) -> Double.compare(a.testNegElbo().getAsDouble(), b.testNegElbo().getAsDouble()))
                    .ifPresent(best -> m.put("best_test", best.asJson()));
            Map<String, Object> timings = new LinkedHashMap<>();
            timings.put("started", started.toString());
            timings.put("finished", finished.toString());
            timings.put("train_sec", last.trainSec());
            timings.put("elapsed_sec", last.elapsedSec());
            m.put("timings", timings);
        }
        if (!promotion.isEmpty()) {
            m.put("promotion", promotion);
        }
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("spark_vae", version("com.sparkvae", "spark-vae-job"));
        versions.put("spark", sparkVersion);
        versions.put("scala", SparkLine.scalaVersion());
        versions.put("spark_vae_built_for", SparkLine.builtFor().line());
        versions.put("nd4j", version("org.nd4j", "nd4j-api"));
        versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        versions.put("driver_cores", Runtime.getRuntime().availableProcessors());
        m.put("versions", versions);
        return JSON.writeValueAsString(m) + "\n";
    }

    private static Map<String, Object> dataset(ShardedData d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", d.uri());
        m.put("examples", d.size());
        m.put("dimension", d.dim());
        m.put("partitions", d.partitions());
        m.put("fingerprint", String.format("%016x", d.fingerprint()));
        m.put("skipped_rows", d.skippedRows());
        if (!d.skippedExamples().isEmpty()) {
            m.put("skipped_examples", d.skippedExamples());
        }
        return m;
    }

    /** A library's version from the pom.properties Maven puts in its jar (kept in the application jar). */
    static String version(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Manifest.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
