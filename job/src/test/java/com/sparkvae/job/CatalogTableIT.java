package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sparkvae.ml.VaeModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's weekly retraining recipe, run as written through submit.sh, on a Hive catalog that outlives each
 * application: an embedded Derby metastore in a temporary folder, named by the hive-site.xml in HADOOP_CONF_DIR as
 * a cluster's would be. One application (a team's feature pipeline, {@link CatalogFixture}) writes a partitioned
 * table with an ID column, string and date columns, features of mixed scales and nulls; the next trains on three
 * weeks of it into a model root; a third scores the newest week into a catalog table keyed by ID. Then the same
 * rows as a Delta table, with Delta's package given to spark-submit as users give it. The model root that
 * {@code train} wrote also loads into Spark ML ({@link VaeModel#fromRun}) and scores that week as {@code score} did.
 */
public class CatalogTableIT {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static final int ROWS = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path conf;
    private static List<String> formatJars;

    @BeforeAll
    static void aFeaturePipelineWritesTheTable() throws Exception {
        conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("hive-site.xml"), "<configuration>\n"
                + property("javax.jdo.option.ConnectionURL",
                        "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true")
                + property("hive.metastore.warehouse.dir", dir.resolve("warehouse").toUri().toString())
                + "</configuration>\n");
        Path formats = Path.of("target", "table-format-classpath-" + SparkTestSupport.sparkLine() + ".txt");
        formatJars = Files.exists(formats) && !Files.readString(formats).isBlank()
                ? List.of(Files.readString(formats).trim().split(":")) : List.of();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(Files.readString(SparkTestSupport.sparkClasspathFile().resolveSibling("java17-opens.txt"))
                .trim().split("\\s+")));
        List<String> classPath = new ArrayList<>(List.of(Path.of("target", "test-classes").toAbsolutePath().toString(),
                conf.toString(), Files.readString(SparkTestSupport.sparkClasspathFile()).trim()));
        classPath.addAll(formatJars);
        cmd.addAll(List.of("-Xmx1g", "-cp", String.join(":", classPath), CatalogFixture.class.getName(),
                Integer.toString(ROWS)));
        if (!formatJars.isEmpty()) {
            cmd.addAll(List.of("delta", dir.resolve("delta/visits").toString()));
        }
        Path log = dir.resolve("fixture.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the fixture application did not finish");
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    private static String property(String name, String value) {
        return "  <property><name>" + name + "</name><value>" + value + "</value></property>\n";
    }

    @Test
    void weeklyRetrainingFromACatalogTableAndScoresIntoATableKeyedById() throws Exception {
        String models = dir.resolve("models/visits").toString();
        SubmitScriptIT.Result train = run("train", "--input-table", "clinic.visits",
                "--where", "visit_date >= '2026-11-09' AND visit_date < '2026-11-30'",
                "--test-table", "clinic.visits", "--test-where", "visit_date >= '2026-11-30'",
                "--features", "m_*", "--likelihood", "gaussian", "--bad-rows", "impute",
                "--hidden", "64", "--latent-dim", "4", "--model-root", models, "--run-id", "2026-11-30");
        assertEquals(0, train.code(), train.output());
        JsonNode manifest = JSON.readTree(Path.of(models, "runs", "2026-11-30", "manifest.json").toFile());
        assertEquals(ROWS * 3 / 4, manifest.at("/data/train/examples").asLong());
        assertEquals(ROWS / 4, manifest.at("/data/test/examples").asLong());
        assertEquals("table clinic.visits (where visit_date >= '2026-11-30')", manifest.at("/data/test/uri").asText());
        assertEquals("standard", manifest.at("/features/scaling").asText());
        assertEquals(VisitsTable.MEASUREMENTS, manifest.at("/features/columns").size());
        assertTrue(manifest.at("/promotion/promoted").asBoolean());

        SubmitScriptIT.Result score = run("score", "--model", models, "--input-table", "clinic.visits",
                "--where", "visit_date >= '2026-11-30'", "--keep", "patient_id,visit_date",
                "--output-table", "clinic.visit_scores", "--partition-by", "visit_date", "--mode", "append",
                "--bad-rows", "impute");
        assertEquals(0, score.code(), score.output());
        Path table = dir.resolve("warehouse/clinic.db/visit_scores");
        assertTrue(Files.isDirectory(table.resolve("visit_date=2026-11-30")), "partitioned by week");
        Row ids = SPARK.session().read().parquet(table.toString())
                .selectExpr("count(*)", "count(DISTINCT patient_id)", "sum(CAST(isnan(neg_log_likelihood) AS INT))")
                .first();
        assertEquals((long) ROWS / 4, ids.getLong(0), "every row of the week scored");
        assertEquals((long) ROWS / 4, ids.getLong(1), "every patient exactly once");
        assertEquals(0L, ids.getLong(2));

        // The model root that train wrote, loaded into this JVM's Spark ML, scores the same week to score's means.
        Dataset<Row> week = SPARK.session().read().parquet(dir.resolve("warehouse/clinic.db/visits").toString())
                .where("visit_date >= '2026-11-30'");
        VaeModel model = VaeModel.fromRun(models).setBadRows("impute");
        List<String> columns = new ArrayList<>(List.of(week.columns()));
        columns.addAll(List.of("neg_elbo", "neg_log_likelihood", "latent_mean", "anomaly_score"));
        assertEquals(columns, List.of(model.transform(week).columns()));
        // Compared without -log p(x) and the anomaly score, whose importance samples cost most of a transform.
        Dataset<Row> mine = model.setNegLogLikelihoodCol("").setScoreCol("").transform(week);
        List<Row> pairs = mine.alias("a").join(SPARK.session().read().parquet(table.toString()).alias("b"),
                "patient_id").selectExpr("a.latent_mean", "b.latent_mean").collectAsList();
        assertEquals(ROWS / 4, pairs.size());
        for (Row r : pairs) {
            List<Float> x = r.getList(0);
            List<Float> y = r.getList(1);
            assertEquals(4, x.size());
            for (int j = 0; j < y.size(); j++) {
                assertEquals(y.get(j), x.get(j), 1e-4 * (1 + Math.abs(y.get(j))), "latent mean " + j);
            }
        }
    }

    @Test
    void aMissingTableIsOneLineAndPublishesNothing() throws Exception {
        Path models = dir.resolve("models/none");
        SubmitScriptIT.Result r = run("train", "--input-table", "clinic.vists", "--test-table", "clinic.visits",
                "--model-root", models.toString(), "--run-id", "r1");
        assertEquals(3, r.code(), r.output());
        List<String> errors = r.output().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.output());
        assertTrue(errors.get(0).startsWith("error: input-table: cannot read table 'clinic.vists': "), errors.get(0));
        assertFalse(r.output().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(models.resolve("runs/r1")), "nothing published");
        assertFalse(Files.exists(models.resolve("latest")));
    }

    @Test
    void aDeltaTableReadsWithDeltasPackageAddedAsUsersAddIt() throws Exception {
        Assumptions.assumeFalse(formatJars.isEmpty(), "no release of Delta Lake or Iceberg runs on this Spark line");
        Path out = dir.resolve("delta-run");
        SubmitScriptIT.Result r = run(List.of("--jars", String.join(",", formatJars),
                        "--conf", "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
                        "--conf", "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog"),
                "train", "--format", "delta", "--input", dir.resolve("delta/visits").toString(),
                "--where", "visit_date < '2026-11-30'", "--features", "m_*", "--likelihood", "gaussian",
                "--bad-rows", "skip", "--hidden", "16", "--latent-dim", "2", "--epochs", "1",
                "--output", out.toString());
        assertEquals(0, r.code(), r.output());
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        long skipped = manifest.at("/data/train/skipped_rows").asLong();
        assertEquals(ROWS * 3 / 4, manifest.at("/data/train/examples").asLong() + skipped);
        assertTrue(skipped > 0, "rows with a null feature skipped");
    }

    private static SubmitScriptIT.Result run(String... job) throws IOException, InterruptedException {
        return run(List.of(), job);
    }

    /** submit.sh with the catalog's configuration (HADOOP_CONF_DIR), from the folder that holds it. */
    private static SubmitScriptIT.Result run(List<String> spark, String... job) throws IOException,
            InterruptedException {
        List<String> args = new ArrayList<>(spark);
        args.addAll(List.of(job));
        Path log = Files.createTempFile(dir, "submit", ".log");
        Process p = SubmitScriptIT.start(log, Map.of("HADOOP_CONF_DIR", conf.toString()), dir,
                args.toArray(String[]::new));
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("submit.sh did not finish in 5 minutes");
        }
        return new SubmitScriptIT.Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
