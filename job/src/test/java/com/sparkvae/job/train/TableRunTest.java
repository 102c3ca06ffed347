package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.VisitsTable;
import com.sparkvae.job.score.ScoreJob;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a table as teams keep one (ID, date and string columns, 30 features of mixed scales, some nulls) and
 * scoring it: the features by glob, a filter for the weeks, scaling and imputation fitted to the training rows and
 * kept with the model, and scores that keep each row's identity.
 */
public class TableRunTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static final int ROWS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static String visits;
    private static Path standard;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnThreeWeeksHoldingOutTheFourth() throws Exception {
        visits = shared.resolve("visits.parquet").toString();
        VisitsTable.frame(SPARK.session(), ROWS, 11).write().partitionBy("visit_date").parquet(visits);
        standard = shared.resolve("standard");
        TrainJob.run(SPARK.session(), TestConfigs.train(options(standard, Map.of())));
    }

    /** Gaussian, features by glob, the last week held out, nulls imputed; {@code more} on top. */
    private static Map<String, String> options(Path output, Map<String, String> more) {
        Map<String, String> o = new HashMap<>(Map.of("input", visits, "test", visits,
                "where", "visit_date < '2026-11-30'", "test-where", "visit_date >= '2026-11-30'",
                "features", "m_*", "likelihood", "gaussian", "bad-rows", "impute", "epochs", "4",
                "hidden", "32", "latent-dim", "3"));
        o.put("batch-size", "64");
        o.put("output", output.toString());
        o.putAll(more);
        return o;
    }

    @Test
    void theModelKeepsItsColumnsScalingAndMeansAndTheManifestSaysSo() throws Exception {
        JsonNode manifest = JSON.readTree(standard.resolve("manifest.json").toFile());
        assertEquals(ROWS * 3 / 4, manifest.at("/data/train/examples").asLong());
        assertEquals(ROWS / 4, manifest.at("/data/test/examples").asLong());
        assertTrue(manifest.at("/data/train/imputed_values").asLong() > 0);
        assertEquals("standard", manifest.at("/features/scaling").asText());
        assertEquals(VisitsTable.MEASUREMENTS, manifest.at("/features/columns").size());
        assertEquals(VisitsTable.MEASUREMENTS, manifest.at("/features/shift").size());
        ModelStore.SavedModel model = ModelStore.load(new org.apache.hadoop.fs.Path(standard.resolve("model.zip")
                .toString()), new Configuration());
        assertEquals(manifest.at("/features/columns/29").asText(), model.features().columns().get(29));
        assertTrue(model.features().transform().fillsMissing());
        float[] scale = model.features().scale();
        assertTrue(scale[29] / scale[0] > 1e5, "sd ratio of the largest to the smallest feature: "
                + scale[29] / scale[0]);
    }

    @Test
    void aScaledModelsFiguresAreInTheDatasOwnUnits() throws Exception {
        // The same parameters, once reading the rows through the model's scaling, once reading rows scaled
        // beforehand (by Spark SQL) with no scaling of their own: the figures differ by the log-Jacobian exactly.
        SparkSession spark = SPARK.session();
        ModelStore.SavedModel model = ModelStore.load(new org.apache.hadoop.fs.Path(standard.resolve("model.zip")
                .toString()), new Configuration());
        ModelFeatures f = model.features();
        List<String> scaled = new java.util.ArrayList<>(List.of("patient_id"));
        for (int j = 0; j < f.columns().size(); j++) {
            scaled.add(String.format("(coalesce(%s, CAST(%s AS FLOAT)) - CAST(%s AS FLOAT)) / CAST(%s AS FLOAT) AS %s",
                    f.columns().get(j), f.fill()[j], f.shift()[j], f.scale()[j], f.columns().get(j)));
        }
        String prescaled = dir.resolve("prescaled.parquet").toString();
        spark.read().parquet(visits).where("visit_date = '2026-11-30'").coalesce(1)
                .selectExpr(scaled.toArray(String[]::new)).write().parquet(prescaled);
        Path unscaledModel = dir.resolve("unscaled/model.zip");
        ModelStore.save(new org.apache.hadoop.fs.Path(unscaledModel.toString()), new Configuration(), model.config(),
                model.inputDim(), model.parameters(), new ModelFeatures(f.columns(), "none", null, null, null, false));
        Path a = dir.resolve("through-the-model");
        Path b = dir.resolve("prescaled");
        ScoreJob.run(spark, TestConfigs.score(Map.of("model", standard.toString(), "input", visits,
                "where", "visit_date = '2026-11-30'", "output", a.toString(), "bad-rows", "impute", "keep",
                "patient_id", "partitions", "1")));
        ScoreJob.run(spark, TestConfigs.score(Map.of("model", unscaledModel.toString(), "input", prescaled,
                "output", b.toString(), "partitions", "1")));
        double jacobian = f.transform().logJacobian();
        List<Row> pairs = spark.read().parquet(a.toString()).alias("a")
                .join(spark.read().parquet(b.toString()).alias("b"), "patient_id")
                .selectExpr("a.neg_log_likelihood", "b.neg_log_likelihood").collectAsList();
        assertEquals(ROWS / 4, pairs.size());
        for (Row r : pairs) {
            assertEquals(r.getDouble(1) + jacobian, r.getDouble(0), 1e-3 * Math.abs(r.getDouble(0)));
        }
        assertTrue(Math.abs(jacobian) > 10, "a log-Jacobian worth checking: " + jacobian);
    }

    @Test
    void scoresKeepEveryInputColumnButTheFeaturesOnceForEveryRow() throws Exception {
        Path out = dir.resolve("scores");
        ScoreJob.run(SPARK.session(), TestConfigs.score(Map.of("model", standard.toString(), "input", visits,
                "output", out.toString(), "bad-rows", "impute")));
        Dataset<Row> scores = SPARK.session().read().parquet(out.toString());
        assertEquals(List.of("patient_id", "site", "visit_date", "neg_elbo", "neg_log_likelihood", "latent_mean",
                "anomaly_score"), List.of(scores.columns()));
        Row stats = scores.selectExpr("count(*)", "count(DISTINCT patient_id)", "min(size(latent_mean))",
                "sum(CAST(isnan(neg_log_likelihood) OR neg_log_likelihood IS NULL AS INT))").first();
        assertEquals((long) ROWS, stats.getLong(0));
        assertEquals((long) ROWS, stats.getLong(1));
        assertEquals(3, stats.getInt(2));
        assertEquals(0L, stats.getLong(3));
    }

    @Test
    void scoringMatchesColumnsByNameNotPosition() throws Exception {
        SparkSession spark = SPARK.session();
        Dataset<Row> table = spark.read().parquet(visits).where("visit_date = '2026-11-30'");
        String[] reversed = table.columns().clone();
        java.util.Collections.reverse(java.util.Arrays.asList(reversed));
        String shuffled = dir.resolve("reversed.parquet").toString();
        table.selectExpr(reversed).write().parquet(shuffled);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        ScoreJob.run(spark, TestConfigs.score(Map.of("model", standard.toString(), "input", visits,
                "where", "visit_date = '2026-11-30'", "output", a.toString(), "bad-rows", "impute")));
        ScoreJob.run(spark, TestConfigs.score(Map.of("model", standard.toString(), "input", shuffled,
                "output", b.toString(), "bad-rows", "impute", "keep", "patient_id")));
        List<Row> joined = spark.read().parquet(a.toString()).alias("a")
                .join(spark.read().parquet(b.toString()).alias("b"), "patient_id")
                .selectExpr("a.latent_mean", "b.latent_mean").collectAsList();
        assertEquals(ROWS / 4, joined.size());
        for (Row r : joined) {
            assertEquals(r.getList(0), r.getList(1));
        }
    }

    @Test
    void scoresGoToACatalogTablePartitionedAndAppendedAsAsked() throws Exception {
        SparkSession spark = SPARK.session();
        spark.read().parquet(visits).write().saveAsTable("visits_table");
        Map<String, String> score = new HashMap<>(Map.of("model", standard.toString(), "input-table", "visits_table",
                "where", "visit_date >= '2026-11-23'", "output-table", "visit_scores", "partition-by", "visit_date",
                "keep", "patient_id,visit_date", "bad-rows", "impute"));
        ScoreJob.run(spark, TestConfigs.score(score));
        assertEquals(ROWS / 2, spark.table("visit_scores").count());
        assertEquals(List.of("visit_date"), List.of(spark.sql("SHOW PARTITIONS visit_scores").columns()).isEmpty()
                ? List.of() : List.of("visit_date"));
        ConfigException exists = assertThrows(ConfigException.class,
                () -> ScoreJob.run(spark, TestConfigs.score(score)));
        assertEquals("output-table: table visit_scores exists; choose another, or --mode overwrite or append",
                exists.getMessage());
        score.put("mode", "append");
        ScoreJob.run(spark, TestConfigs.score(score));
        assertEquals((long) ROWS, spark.table("visit_scores").count());
        assertEquals((long) ROWS / 2, spark.table("visit_scores").select("patient_id").distinct().count());
    }

    @Test
    void aWarmStartKeepsTheModelsScalingAndRefusesAnother() throws Exception {
        Path again = dir.resolve("again");
        TrainJob.run(SPARK.session(), TestConfigs.train(options(again, Map.of("init-from", standard.toString(),
                "epochs", "1"))));
        JsonNode first = JSON.readTree(standard.resolve("manifest.json").toFile()).at("/features");
        JsonNode second = JSON.readTree(again.resolve("manifest.json").toFile()).at("/features");
        assertEquals(first, second);
        ConfigException other = assertThrows(ConfigException.class, () -> TrainJob.run(SPARK.session(),
                TestConfigs.train(options(dir.resolve("minmax"), Map.of("init-from", standard.toString(),
                        "scale", "minmax")))));
        assertTrue(other.getMessage().endsWith("scales its features by 'standard', not by --scale minmax; a warm "
                + "start keeps the model's scaling"), other.getMessage());
    }

    @Test
    void promotionComparesEachModelThroughItsOwnScalingInTheDatasUnits() throws Exception {
        Path root = dir.resolve("root");
        Map<String, String> first = new HashMap<>(options(dir, Map.of("model-root", root.toString(),
                "run-id", "a")));
        first.remove("output");
        TrainJob.run(SPARK.session(), TestConfigs.train(first));
        Map<String, String> second = new HashMap<>(first);
        second.putAll(Map.of("run-id", "b", "scale", "minmax", "epochs", "1"));
        TrainJob.run(SPARK.session(), TestConfigs.train(second));
        JsonNode promotion = JSON.readTree(root.resolve("runs/b/manifest.json").toFile()).at("/promotion");
        double firstOwn = finalTest(root.resolve("runs/a"));
        assertEquals(firstOwn, promotion.at("/latest_test_neg_elbo").asDouble(), 1e-3,
                "latest re-evaluated through its own (standard) scaling gives its own figure");
        assertTrue(Files.exists(root.resolve("latest")));
    }

    @Test
    void aMistakeInTheTableOptionsIsOneLineAndPublishesNothing() throws Exception {
        Path root = dir.resolve("root");
        Map<String, String> base = new HashMap<>(options(dir, Map.of("model-root", root.toString(), "run-id", "r")));
        base.remove("output");
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("features", "m_*,weight"), "features: no column 'weight' in " + visits,
                Map.of("features", "site"), "features: column 'site' of " + visits,
                Map.of("where", "visit_date >>= 3"), "where: cannot filter " + visits + " by 'visit_date >>= 3': ",
                Map.of("where", "site = 'west'"), visits + " (where site = 'west'): no rows pass the filter");
        for (Map.Entry<Map<String, String>, String> c : cases.entrySet()) {
            Map<String, String> o = new HashMap<>(base);
            o.putAll(c.getKey());
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> TrainJob.run(SPARK.session(), TestConfigs.train(o)));
            assertTrue(e instanceof ConfigException || e instanceof com.sparkvae.job.DataException, e.toString());
            assertTrue(e.getMessage().startsWith(c.getValue()), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            assertTrue(!Files.exists(root.resolve("runs/r")) && !Files.exists(root.resolve("latest")), c.getKey()
                    + " published nothing");
        }
    }

    private static double finalTest(Path run) throws Exception {
        return JSON.readTree(run.resolve("manifest.json").toFile()).at("/final/test_neg_elbo").asDouble();
    }
}
