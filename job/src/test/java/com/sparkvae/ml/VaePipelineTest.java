package com.sparkvae.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sparkvae.job.LocalSpark;
import com.sparkvae.job.VisitsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stages as Spark ML users combine them: in a Pipeline after Spark's own feature stages, saved and loaded in
 * Spark ML's layout, and tuned by a CrossValidator and a TrainValidationSplit with {@link VaeEvaluator}.
 */
class VaePipelineTest {
    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Dataset<Row> visits;
    private static String[] measurements;

    @TempDir
    Path dir;

    @BeforeAll
    static void aTableWithAnId() {
        visits = VisitsTable.frame(SPARK.session(), 300, 3).na().drop().cache();
        measurements = Arrays.stream(visits.columns()).filter(c -> c.startsWith("m_")).toArray(String[]::new);
    }

    private static VaeEstimator tiny() {
        return new VaeEstimator().setLikelihood("gaussian").setEpochs(1).setHidden(8).setLatentDim(2)
                .setBatchSize(32);
    }

    @Test
    void aSavedPipelineLoadsAndTransformsAsBefore() throws Exception {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new VectorAssembler().setInputCols(measurements).setOutputCol("raw"),
                new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true),
                tiny().setFeaturesCol("scaled").setScale("none")});
        PipelineModel model = pipeline.fit(visits);
        String path = dir.resolve("pipeline").toString();
        model.write().save(path);
        pipeline.write().save(dir.resolve("unfitted").toString());

        // Loaded and used in another session, on a DataFrame of its own.
        SparkSession fresh = SPARK.session().newSession();
        PipelineModel loaded;
        List<Row> after;
        SparkSession.setActiveSession(fresh);
        try {
            loaded = PipelineModel.load(path);
            after = latentMeans(loaded.transform(fresh.createDataFrame(visits.collectAsList(), visits.schema())));
        } finally {
            SparkSession.setActiveSession(SPARK.session());
        }
        assertTrue(loaded.stages()[2] instanceof VaeModel, loaded.stages()[2].toString());
        List<Row> before = latentMeans(model.transform(visits));
        assertEquals(visits.count(), after.size());
        assertEquals(before, after);
        assertTrue(List.of(loaded.transform(visits).columns()).containsAll(List.of("patient_id", "visit_date",
                "site", "raw", "scaled", "neg_elbo", "neg_log_likelihood", "latent_mean")));

        Path metadata = Path.of(path, "stages").toFile().listFiles((d, n) -> n.startsWith("2_"))[0].toPath()
                .resolve("metadata");
        JsonNode json;
        try (Stream<Path> files = Files.list(metadata)) {
            Path part = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
            json = JSON.readTree(Files.readString(part));
        }
        assertEquals(VaeModel.class.getName(), json.path("class").asText());
        assertEquals("scaled", json.at("/paramMap/featuresCol").asText());
        assertEquals(SPARK.session().version(), json.path("sparkVersion").asText());
        Pipeline unfitted = Pipeline.load(dir.resolve("unfitted").toString());
        VaeEstimator estimator = (VaeEstimator) unfitted.getStages()[2];
        assertEquals(2, estimator.getOrDefault(estimator.getParam("latentDim")));
        assertEquals("none", estimator.getOrDefault(estimator.getParam("scale")));
    }

    @Test
    void aModelSavedAloneLoadsWithItsParamsAndParameters() throws Exception {
        VaeModel model = tiny().setFeaturesCols("m_*").setScoreType("recon").setContamination(0.2).fit(visits)
                .setLatentMeanCol("z").setImportanceSamples(8);
        String path = dir.resolve("model").toString();
        model.save(path);
        VaeModel loaded = VaeModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertArrayEquals(model.parameters(), loaded.parameters());
        assertEquals("z", loaded.getOrDefault(loaded.getParam("latentMeanCol")));
        assertEquals(8, loaded.getOrDefault(loaded.getParam("importanceSamples")));
        assertEquals("recon", loaded.getOrDefault(loaded.getParam("scoreType")));
        assertTrue(model.outlierThreshold().isPresent());
        assertEquals(model.outlierThreshold(), loaded.outlierThreshold());
        assertEquals(latentMeans(model.transform(visits), "z"), latentMeans(loaded.transform(visits), "z"));
        // recon is deterministic, so the flags agree row for row.
        assertEquals(model.transform(visits).orderBy("patient_id").select("anomaly_score", "outlier").collectAsList(),
                loaded.transform(visits).orderBy("patient_id").select("anomaly_score", "outlier").collectAsList());
        assertEquals(0.2, loaded.transform(visits).selectExpr("avg(outlier)").first().getDouble(0), 0.02);
    }

    @Test
    void aCrossValidatorTunesTheLatentDimensionWithTheEvaluator() {
        VaeEstimator vae = tiny().setFeaturesCols("m_*");
        Param<?> latent = vae.getParam("latentDim");
        ParamMap[] grid = new ParamGridBuilder().addGrid((IntParam) latent, new int[] {1, 3}).build();
        CrossValidatorModel cv = new CrossValidator().setEstimator(vae).setEvaluator(new VaeEvaluator())
                .setEstimatorParamMaps(grid).setNumFolds(2).setSeed(5).fit(visits);
        double[] metrics = cv.avgMetrics();
        assertEquals(2, metrics.length);
        assertTrue(Double.isFinite(metrics[0]) && Double.isFinite(metrics[1]), Arrays.toString(metrics));
        int best = metrics[0] <= metrics[1] ? 1 : 3;
        assertEquals(best, ((VaeModel) cv.bestModel()).latentDim(), Arrays.toString(metrics));
        VaeEvaluator evaluator = new VaeEvaluator();
        double mean = evaluator.evaluate(cv.bestModel().transform(visits));
        Row direct = cv.bestModel().transform(visits).selectExpr("avg(neg_elbo)").first();
        assertEquals(direct.getDouble(0), mean, 1e-9);
        assertTrue(!evaluator.isLargerBetter());
    }

    @Test
    void aTrainValidationSplitKeepsTheTrainedModelAndSavesAndLoads() throws Exception {
        // A learning rate too small to move the weights against the default one: the held-out ELBO must tell them
        // apart, and the split must keep the smaller one's Params (VaeEvaluator: smaller is better).
        VaeEstimator vae = tiny().setFeaturesCols("m_*").setEpochs(2);
        DoubleParam lr = (DoubleParam) vae.getParam("lr");
        double trained = (Double) vae.getOrDefault(lr);
        ParamMap[] grid = new ParamGridBuilder().addGrid(lr, new double[] {1e-9, trained}).build();
        TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(vae)
                .setEvaluator(new VaeEvaluator()).setEstimatorParamMaps(grid).setTrainRatio(0.75).setSeed(5)
                .fit(visits);
        double[] metrics = tvs.validationMetrics();
        assertEquals(2, metrics.length);
        assertTrue(metrics[1] < metrics[0], "the trained model's mean -ELBO is smaller: " + Arrays.toString(metrics));
        VaeModel best = (VaeModel) tvs.bestModel();
        VaeModel untrained = vae.copy(grid[0]).fit(visits);
        VaeModel again = vae.copy(grid[1]).fit(visits);
        assertArrayEquals(again.parameters(), best.parameters(), "refitted on every row with the Params it kept");
        assertTrue(!Arrays.equals(untrained.parameters(), best.parameters()));

        String path = dir.resolve("tvs").toString();
        tvs.write().save(path);
        TrainValidationSplitModel loaded = TrainValidationSplitModel.load(path);
        assertArrayEquals(metrics, loaded.validationMetrics());
        assertEquals(trained, loaded.getEstimatorParamMaps()[1].apply(((VaeEstimator) loaded.getEstimator())
                .getParam("lr")));
        assertTrue(loaded.getEvaluator() instanceof VaeEvaluator, loaded.getEvaluator().toString());
        assertEquals(latentMeans(tvs.transform(visits)), latentMeans(loaded.transform(visits)));
    }

    private static List<Row> latentMeans(Dataset<Row> scored) {
        return latentMeans(scored, "latent_mean");
    }

    private static List<Row> latentMeans(Dataset<Row> scored, String column) {
        return scored.select("patient_id", column).orderBy("patient_id").collectAsList();
    }
}
