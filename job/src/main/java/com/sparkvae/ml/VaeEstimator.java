package com.sparkvae.ml;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.DataException;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.score.FrameScores;
import com.sparkvae.job.train.FrameTraining;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * The VAE as a Spark ML {@link Estimator}: {@link #fit} trains on a DataFrame's rows with the rounds of the
 * {@code train} command, and gives the same parameters {@code train} gives on the same rows with the same seed and
 * options (to float-summation noise).
 *
 * <p>Its Params are the {@code train} options, named in camelCase ({@code latentDim}, {@code batchSize},
 * {@code lr}, ...) and declared from the same definitions ({@link OptionParams} says which options are left out,
 * and why), so their defaults, documentation ({@code explainParams()}) and validation are the command line's. The
 * features come from {@code featuresCol} (one vector or numeric-array column, default {@code features}) or
 * {@code featuresCols} (numeric columns); the output columns, {@code scoreType} and {@code importanceSamples} pass
 * on to the {@link VaeModel} it fits. With {@code contamination} above 0, {@code fit} also scores the training rows
 * and stores the outlier threshold in the model ({@link VaeModel#outlierThreshold}).
 *
 * <pre>
 *   VaeModel model = new VaeEstimator().setFeaturesCol("scaled").setLikelihood("gaussian").setLatentDim(4)
 *           .setEpochs(5).fit(frame);
 *   model.transform(frame).select("id", "neg_log_likelihood", "latent_mean");
 * </pre>
 */
public final class VaeEstimator extends Estimator<VaeModel> implements MLWritable {
    private final String uid;
    private final StageParams stage;

    public VaeEstimator() {
        this(Identifiable$.MODULE$.randomUID("vae"));
    }

    /** An estimator with this uid (Spark ML's copies and readers make them so). */
    public VaeEstimator(String uid) {
        this.uid = uid;
        this.stage = StageParams.forEstimator(this);
        stage.defaults().forEach((name, value) -> setDefault(getParam(name), value));
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The Params declared from the options and the columns ({@link StageParams}), sorted by name. */
    @Override
    public Param<?>[] params() {
        return stage.all();
    }

    /**
     * The model trained on {@code dataset}'s rows. A mistake in the Params or the rows is refused in one line that
     * names the Params ({@code badRows impute}), as the command's names its options ({@code --bad-rows impute}).
     */
    @Override
    public VaeModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String[] cols = (String[]) getOrDefault(getParam(StageParams.FEATURES_COLS));
        FrameTraining.Fitted fitted;
        try {
            fitted = FrameTraining.fit(dataset.sparkSession(), trainConfig(), dataset.toDF(),
                    FrameSchema.patterns((String) getOrDefault(getParam(StageParams.FEATURES_COL)), cols),
                    FrameSchema.SOURCE);
        } catch (ConfigException e) {
            throw new ConfigException(OptionParams.inParamTerms(e.getMessage()));
        } catch (DataException e) {
            throw new DataException(OptionParams.inParamTerms(e.getMessage()));
        }
        VaeModel model = copyValues(new VaeModel(uid, fitted.model()), ParamMap.empty());
        return model.setParent(this);
    }

    /** The {@code train} configuration these Params give, validated as the command line validates it. */
    TrainConfig trainConfig() {
        Map<String, String> options = new LinkedHashMap<>();
        for (var s : OptionParams.trainParams()) {
            options.put(s.key(), OptionParams.text(getOrDefault(getParam(OptionParams.name(s.key())))));
        }
        return TrainConfig.fromKeyValues(options, "among the Params");
    }

    /** The input schema with the model's score columns; the features and output columns checked. */
    @Override
    public StructType transformSchema(StructType schema) {
        FrameSchema.features(schema, (String) getOrDefault(getParam(StageParams.FEATURES_COL)),
                (String[]) getOrDefault(getParam(StageParams.FEATURES_COLS)));
        return FrameSchema.withScores(schema, scoreColumns());
    }

    /** The fitted model's output columns: the outlier flag when a contamination will give it a threshold. */
    FrameScores.Columns scoreColumns() {
        boolean flags = (Double) getOrDefault(getParam("contamination")) > 0;
        return new FrameScores.Columns((String) getOrDefault(getParam(StageParams.NEG_ELBO_COL)),
                (String) getOrDefault(getParam(StageParams.NEG_LOG_LIKELIHOOD_COL)),
                (String) getOrDefault(getParam(StageParams.LATENT_MEAN_COL)),
                (String) getOrDefault(getParam(StageParams.SCORE_COL)),
                (String) getOrDefault(getParam(StageParams.PREDICTION_COL)),
                TrainSettings.SCORE_TYPE.parse((String) getOrDefault(getParam(StageParams.SCORE_TYPE))),
                flags ? OptionalDouble.of(0) : OptionalDouble.empty());
    }

    @Override
    public VaeEstimator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this, (spark, path) -> { });
    }

    public static MLReader<VaeEstimator> read() {
        return new StageReader<>(VaeEstimator.class, (spark, path, uid) -> new VaeEstimator(uid));
    }

    public static VaeEstimator load(String path) {
        return read().load(path);
    }

    /** Sets Param {@code name}, refusing in one line a value its option refuses. */
    private VaeEstimator put(String name, Object value) {
        stage.put(name, value);
        return this;
    }

    public VaeEstimator setBadRows(String value) {
        return put("badRows", value);
    }

    public VaeEstimator setScale(String value) {
        return put("scale", value);
    }

    public VaeEstimator setEpochs(int value) {
        return put("epochs", value);
    }

    public VaeEstimator setBatchSize(int value) {
        return put("batchSize", value);
    }

    public VaeEstimator setLocalSteps(String value) {
        return put("localSteps", value);
    }

    public VaeEstimator setSync(String value) {
        return put("sync", value);
    }

    public VaeEstimator setRounds(String value) {
        return put("rounds", value);
    }

    public VaeEstimator setOuter(String value) {
        return put("outer", value);
    }

    public VaeEstimator setOuterLr(double value) {
        return put("outerLr", value);
    }

    public VaeEstimator setOuterMomentum(double value) {
        return put("outerMomentum", value);
    }

    public VaeEstimator setPartitions(int value) {
        return put("partitions", value);
    }

    public VaeEstimator setAggregationDepth(int value) {
        return put("aggregationDepth", value);
    }

    public VaeEstimator setHidden(int... value) {
        return put("hidden", value);
    }

    public VaeEstimator setLatentDim(int value) {
        return put("latentDim", value);
    }

    public VaeEstimator setActivation(String value) {
        return put("activation", value);
    }

    public VaeEstimator setLikelihood(String value) {
        return put("likelihood", value);
    }

    public VaeEstimator setGaussianVariance(String value) {
        return put("gaussianVariance", value);
    }

    public VaeEstimator setGaussianLogVariance(double value) {
        return put("gaussianLogVariance", value);
    }

    public VaeEstimator setSamples(int value) {
        return put("samples", value);
    }

    public VaeEstimator setOptimizer(String value) {
        return put("optimizer", value);
    }

    public VaeEstimator setLr(double value) {
        return put("lr", value);
    }

    public VaeEstimator setPeakLr(String value) {
        return put("peakLr", value);
    }

    public VaeEstimator setWarmupEpochs(String value) {
        return put("warmupEpochs", value);
    }

    public VaeEstimator setDecayEpochs(String value) {
        return put("decayEpochs", value);
    }

    public VaeEstimator setMaxLrHalvings(int value) {
        return put("maxLrHalvings", value);
    }

    public VaeEstimator setAdamBeta1(double value) {
        return put("adamBeta1", value);
    }

    public VaeEstimator setAdamBeta2(double value) {
        return put("adamBeta2", value);
    }

    public VaeEstimator setAdamEpsilon(double value) {
        return put("adamEpsilon", value);
    }

    public VaeEstimator setSeed(long value) {
        return put("seed", value);
    }

    public VaeEstimator setScoreType(String value) {
        return put("scoreType", value);
    }

    public VaeEstimator setContamination(double value) {
        return put("contamination", value);
    }

    public VaeEstimator setContaminationError(double value) {
        return put("contaminationError", value);
    }

    public VaeEstimator setScoreCol(String value) {
        return put("scoreCol", value);
    }

    public VaeEstimator setPredictionCol(String value) {
        return put("predictionCol", value);
    }

    public VaeEstimator setFeaturesCol(String value) {
        return put("featuresCol", value);
    }

    public VaeEstimator setFeaturesCols(String... value) {
        return put("featuresCols", value);
    }

    public VaeEstimator setNegElboCol(String value) {
        return put("negElboCol", value);
    }

    public VaeEstimator setNegLogLikelihoodCol(String value) {
        return put("negLogLikelihoodCol", value);
    }

    public VaeEstimator setLatentMeanCol(String value) {
        return put("latentMeanCol", value);
    }

    public VaeEstimator setImportanceSamples(int value) {
        return put("importanceSamples", value);
    }
}
