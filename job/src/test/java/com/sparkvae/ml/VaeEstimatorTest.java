package com.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.TestConfigs;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.VisitsTable;
import com.sparkvae.job.score.ScoreJob;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.train.TrainJob;
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
 * {@link VaeEstimator#fit} against the {@code train} command on the same rows, seed and options, and
 * {@link VaeModel#transform} against {@code score}: a table with an ID, a date, a string and 30 measurements of
 * mixed scales with some nulls ({@link VisitsTable}), a tiny model, two epochs, a contamination of 0.1.
 */
class VaeEstimatorTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static final int ROWS = 400;
    private static final double CONTAMINATION = 0.1;

    @TempDir
    static Path shared;
    private static String visits;
    private static Path run;
    private static VaeModel fitted;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainBothWays() throws Exception {
        SparkSession spark = SPARK.session();
        visits = shared.resolve("visits.parquet").toString();
        VisitsTable.frame(spark, ROWS, 5).repartition(2).write().parquet(visits);
        run = shared.resolve("run");
        Map<String, String> options = new HashMap<>(Map.of("input", visits, "features", "m_*", "likelihood",
                "gaussian", "bad-rows", "impute", "epochs", "2", "hidden", "8", "latent-dim", "2", "batch-size", "32",
                "seed", "7", "contamination", String.valueOf(CONTAMINATION)));
        options.put("output", run.toString());
        TrainJob.run(spark, TestConfigs.train(options));
        fitted = estimator().fit(spark.read().parquet(visits));
    }

    /** The estimator with the options above. */
    private static VaeEstimator estimator() {
        return new VaeEstimator().setFeaturesCols("m_*").setLikelihood("gaussian").setBadRows("impute").setEpochs(2)
                .setHidden(8).setLatentDim(2).setBatchSize(32).setSeed(7).setContamination(CONTAMINATION);
    }

    private static ModelStore.SavedModel trained() throws Exception {
        return ModelStore.load(new org.apache.hadoop.fs.Path(run.resolve("model.zip").toString()), new Configuration());
    }

    @Test
    void fitGivesTheParametersAndScalingTrainGives() throws Exception {
        ModelStore.SavedModel command = trained();
        float[] a = command.parameters();
        float[] b = fitted.parameters();
        assertEquals(a.length, b.length);
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i]));
            assertEquals(a[i], b[i], 1e-5 * (1 + Math.abs(a[i])), "parameter " + i);
        }
        assertTrue(largest > 0.01, "parameters worth comparing: " + largest);
        assertEquals(command.features(), fitted.saved().features());
        assertEquals(30, fitted.numFeatures());
        assertEquals(2, fitted.latentDim());
    }

    @Test
    void transformKeepsEveryColumnAndAddsTheScoresScoreWrites() throws Exception {
        SparkSession spark = SPARK.session();
        Dataset<Row> input = spark.read().parquet(visits);
        Dataset<Row> out = fitted.transform(input);
        List<String> expected = new java.util.ArrayList<>(List.of(input.columns()));
        expected.addAll(List.of("neg_elbo", "neg_log_likelihood", "latent_mean", "anomaly_score", "outlier"));
        assertEquals(expected, List.of(out.columns()));
        assertEquals(expected, List.of(fitted.transformSchema(input.schema()).fieldNames()));
        Path scores = dir.resolve("scores");
        ScoreJob.run(spark, TestConfigs.score(Map.of("model", run.toString(), "input", visits, "output",
                scores.toString(), "bad-rows", "impute")));
        List<Row> pairs = out.alias("a").join(spark.read().parquet(scores.toString()).alias("b"), "patient_id")
                .selectExpr("a.latent_mean", "b.latent_mean", "a.m_00", "a.neg_elbo", "a.anomaly_score",
                        "b.anomaly_score").collectAsList();
        assertEquals(ROWS, pairs.size());
        double transformed = 0;
        double scored = 0;
        for (Row r : pairs) {
            List<Float> x = r.getList(0);
            List<Float> y = r.getList(1);
            for (int j = 0; j < x.size(); j++) {
                assertEquals(y.get(j), x.get(j), 1e-4 * (1 + Math.abs(y.get(j))));
            }
            assertTrue(Double.isFinite(r.getDouble(3)));
            transformed += r.getDouble(4) / ROWS;
            scored += r.getDouble(5) / ROWS;
        }
        // Under the Gaussian, excess is −log p(x) (importance sampled, from other draws than score's) and recon is
        // deterministic: the means agree closely either way.
        assertEquals(scored, transformed, 5e-3 * Math.abs(scored));
    }

    @Test
    void aContaminationFlagsThatFractionOfTheTrainingRowsInFitAndInScore() throws Exception {
        double threshold = fitted.outlierThreshold().orElseThrow();
        assertEquals(trained().threshold().orElseThrow(), threshold, 1e-3 * (1 + Math.abs(threshold)),
                "train stores the threshold fit does");
        SparkSession spark = SPARK.session();
        Dataset<Row> input = spark.read().parquet(visits);
        Row rate = fitted.transform(input).selectExpr("avg(outlier)", "count(*)",
                "sum(CAST(outlier = CAST(anomaly_score > " + threshold + " AS DOUBLE) AS INT))").first();
        assertEquals(CONTAMINATION, rate.getDouble(0), 0.02, "outlier rate on the training rows");
        assertEquals(rate.getLong(1), rate.getLong(2), "outlier is 1.0 exactly above the threshold");
        Path scores = dir.resolve("scores");
        ScoreJob.run(spark, TestConfigs.score(Map.of("model", run.toString(), "input", visits, "output",
                scores.toString(), "bad-rows", "impute")));
        assertEquals(CONTAMINATION, spark.read().parquet(scores.toString()).selectExpr("avg(outlier)").first()
                .getDouble(0), 0.02, "score flags by the threshold train stored");
        ConfigException other = assertThrows(ConfigException.class, () -> ScoreJob.run(spark, TestConfigs.score(
                Map.of("model", run.toString(), "input", visits, "output", dir.resolve("x").toString(), "bad-rows",
                        "impute", "score-type", "nll"))));
        String own = TrainSettings.SCORE_TYPE.defaultText();
        assertTrue(other.getMessage().startsWith("score-type: ") && other.getMessage().contains(own + ", not nll"),
                other.getMessage());
        IllegalArgumentException param = assertThrows(IllegalArgumentException.class,
                () -> fitted.copy(new org.apache.spark.ml.param.ParamMap()).setScoreType("nll").transform(input));
        assertTrue(param.getMessage().startsWith("scoreType: the model's outlier threshold is on " + own + ", not nll"),
                param.getMessage());
        assertEquals(1, fitted.copy(new org.apache.spark.ml.param.ParamMap()).setScoreType("nll")
                .setPredictionCol("").setNegElboCol("").setNegLogLikelihoodCol("").setLatentMeanCol("")
                .transform(input).columns().length - input.columns().length, "anomaly_score alone");
    }

    @Test
    void fromRunLoadsWhatTrainWroteAndReadsItsColumns() throws Exception {
        Dataset<Row> input = SPARK.session().read().parquet(visits);
        for (String uri : List.of(run.toString(), run.resolve("model.zip").toString())) {
            VaeModel model = VaeModel.fromRun(uri).setNegElboCol("").setNegLogLikelihoodCol("")
                    .setScoreCol("").setPredictionCol("").setBadRows("impute");
            Dataset<Row> out = model.transform(input);
            assertEquals(input.columns().length + 1, out.columns().length);
            Row first = out.orderBy("patient_id").select("latent_mean").first();
            Row same = fitted.transform(input).orderBy("patient_id").select("latent_mean").first();
            assertEquals(same.getList(0).size(), first.getList(0).size());
            assertEquals((float) same.<Float>getList(0).get(0), first.<Float>getList(0).get(0), 1e-4);
        }
        ConfigException none = assertThrows(ConfigException.class,
                () -> VaeModel.fromRun(dir.resolve("nothing").toString()));
        assertTrue(none.getMessage().startsWith("fromRun: no such file or directory"), none.getMessage());
    }

    @Test
    void mistakesInColumnsAreRefusedInOneLineBeforeAnyRowIsRead() {
        Dataset<Row> input = SPARK.session().read().parquet(visits);
        assertEquals("Column site already exists", assertThrows(IllegalArgumentException.class,
                () -> fitted.copy(new org.apache.spark.ml.param.ParamMap()).setLatentMeanCol("site")
                        .transform(input)).getMessage());
        String fewer = assertThrows(IllegalArgumentException.class,
                () -> fitted.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCols("m_0*")
                        .transform(input)).getMessage();
        assertEquals("featuresCols: 10 feature columns, but the model was trained on 30 features", fewer);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> estimator().setFeaturesCols().fit(input)).getMessage();
        assertTrue(missing.startsWith("featuresCol: no column 'features' in the DataFrame (its columns: "),
                missing);
        for (String m : List.of(fewer, missing)) {
            assertFalse(m.contains("\n"), m);
        }
        Dataset<Row> noM = input.drop("m_29");
        assertThrows(IllegalArgumentException.class, () -> fitted.transform(noM));
    }

    @Test
    void fitsRefusalsNameTheParamsNotTheCommandsOptions() {
        Dataset<Row> input = SPARK.session().read().parquet(visits);
        ConfigException scale = assertThrows(ConfigException.class,
                () -> estimator().setLikelihood("bernoulli").setScale("standard").fit(input));
        assertEquals("scale: standard gives values outside [0, 1], which likelihood bernoulli cannot model; use "
                + "scale minmax or none, or likelihood gaussian", scale.getMessage());
        com.sparkvae.job.DataException nulls = assertThrows(com.sparkvae.job.DataException.class,
                () -> estimator().setBadRows("fail").fit(input));
        assertTrue(nulls.getMessage().startsWith("the DataFrame: row patient_id="), nulls.getMessage());
        assertTrue(nulls.getMessage().contains("is null (badRows skip leaves such rows out")
                && !nulls.getMessage().contains("--") && !nulls.getMessage().contains("\n"), nulls.getMessage());
    }
}
