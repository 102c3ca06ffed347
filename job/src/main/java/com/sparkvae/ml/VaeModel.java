package com.sparkvae.ml;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.TrainSettings;
import com.sparkvae.job.data.FeatureColumns;
import com.sparkvae.job.score.FrameScores;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelLocation;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.model.AnomalyScore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A trained VAE as a Spark ML {@link Model}: {@link #transform} keeps every input column and appends, per row, the
 * negative ELBO ({@code negElboCol}, default {@code neg_elbo}), the importance-sampled −log p(x)
 * ({@code negLogLikelihoodCol}, {@code neg_log_likelihood}, from {@code importanceSamples} draws) and the latent
 * mean m(x) ({@code latentMeanCol}, {@code latent_mean}), the anomaly score of {@code scoreType} ({@code scoreCol},
 * {@code anomaly_score}) and, for a model fitted with a contamination, the outlier flag ({@code predictionCol},
 * {@code outlier}: 1.0 where the anomaly score exceeds {@link #outlierThreshold}, else 0.0), as {@code score}
 * writes them; an empty column name leaves that output out. The features go through the model's own imputation
 * and scaling first.
 *
 * <p>Fitted by {@link VaeEstimator}, loaded from a run of the {@code train} command ({@link #fromRun}), or saved
 * and loaded as Spark ML saves stages ({@link #write}, {@link #load}), alone or inside a {@code PipelineModel}.
 */
public final class VaeModel extends Model<VaeModel> implements MLWritable {
    private final String uid;
    private final ModelStore.SavedModel saved;
    private final StageParams stage;

    VaeModel(String uid, ModelStore.SavedModel saved) {
        this.uid = uid;
        this.saved = saved;
        this.stage = StageParams.forModel(this);
        stage.defaults().forEach((name, value) -> setDefault(getParam(name), value));
        setDefault(getParam(StageParams.SCORE_TYPE), OptionParams.paramValue(TrainSettings.SCORE_TYPE,
                TrainSettings.SCORE_TYPE.format(saved.config().scoreType())));
        readsSavedColumns(saved.features());
    }

    /**
     * The model of a run written by {@code train}: a run directory, a model root (its promoted run), the root's
     * {@code latest} file, or a {@code model.zip}, on any file system the session's Hadoop configuration reaches.
     * The features default to the columns the model was trained on.
     */
    public static VaeModel fromRun(String uri) {
        Configuration hadoop = SparkSession.active().sparkContext().hadoopConfiguration();
        try {
            org.apache.hadoop.fs.Path file = ModelLocation.resolve(uri, "fromRun", hadoop);
            return new VaeModel(Identifiable$.MODULE$.randomUID("vae"), ModelStore.load(file, hadoop));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model at " + uri, e);
        }
    }

    /** Named columns default to those the model was trained on: numeric ones, or its one vector column. */
    private void readsSavedColumns(ModelFeatures features) {
        List<String> columns = features.columns();
        if (columns.size() == saved.inputDim()) {
            setDefault(getParam(StageParams.FEATURES_COLS), columns.toArray(String[]::new));
        } else if (columns.size() == 1) {
            setDefault(getParam(StageParams.FEATURES_COL), columns.get(0));
        }
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        return stage.all();
    }

    /** The number of features the model reads. */
    public int numFeatures() {
        return saved.inputDim();
    }

    /** The dimension of the latent variable, the length of each latent mean. */
    public int latentDim() {
        return saved.architecture().latentDim();
    }

    /** A copy of the parameter vector, in the layout of the model module's ParameterLayout. */
    public float[] parameters() {
        return saved.parameters().clone();
    }

    /**
     * The outlier threshold on the anomaly score of the model's own score type (the one it was fitted with): the
     * (1 − contamination) quantile of the training rows' scores; empty for a model fitted without contamination.
     */
    public OptionalDouble outlierThreshold() {
        return saved.threshold();
    }

    /** The model as {@code score} and the store hold it. */
    ModelStore.SavedModel saved() {
        return saved;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureColumns features = features(schema);
        if (!features.vector() && features.names().size() != saved.inputDim()) {
            throw new IllegalArgumentException(featuresParam() + ": " + features.names().size() + " feature "
                    + "columns, but the model was trained on " + saved.inputDim() + " features");
        }
        if (features.vector()) {
            StructField f = schema.apply(features.names().get(0));
            int size = f.dataType().equals(SQLDataTypes.VectorType()) ? AttributeGroup.fromStructField(f).size() : -1;
            if (size >= 0 && size != saved.inputDim()) {
                throw new IllegalArgumentException(featuresParam() + ": vector column " + f.name() + " holds "
                        + size + " values, but the model was trained on " + saved.inputDim() + " features");
            }
        }
        return FrameSchema.withScores(schema, scoreColumns());
    }

    private FeatureColumns features(StructType schema) {
        return FrameSchema.features(schema, (String) getOrDefault(getParam(StageParams.FEATURES_COL)),
                (String[]) getOrDefault(getParam(StageParams.FEATURES_COLS)));
    }

    private String featuresParam() {
        return ((String[]) getOrDefault(getParam(StageParams.FEATURES_COLS))).length > 0 ? StageParams.FEATURES_COLS
                : StageParams.FEATURES_COL;
    }

    /** The output columns; the outlier flag only with a threshold, which holds for the model's own score type. */
    private FrameScores.Columns scoreColumns() {
        AnomalyScore type = TrainSettings.SCORE_TYPE.parse((String) getOrDefault(getParam(StageParams.SCORE_TYPE)));
        AnomalyScore own = saved.config().scoreType();
        String prediction = (String) getOrDefault(getParam(StageParams.PREDICTION_COL));
        if (type != own && saved.threshold().isPresent() && !prediction.isEmpty()) {
            throw new IllegalArgumentException(StageParams.SCORE_TYPE + ": the model's outlier threshold is on "
                    + TrainSettings.SCORE_TYPE.format(own) + ", not " + TrainSettings.SCORE_TYPE.format(type)
                    + "; set predictionCol to \"\" to score without the flag");
        }
        return new FrameScores.Columns((String) getOrDefault(getParam(StageParams.NEG_ELBO_COL)),
                (String) getOrDefault(getParam(StageParams.NEG_LOG_LIKELIHOOD_COL)),
                (String) getOrDefault(getParam(StageParams.LATENT_MEAN_COL)),
                (String) getOrDefault(getParam(StageParams.SCORE_COL)), prediction, type, saved.threshold());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        BadRowPolicy badRows = TrainSettings.BAD_ROWS.parse((String) getOrDefault(getParam("badRows")));
        return FrameScores.score(dataset.toDF(), saved, features(dataset.schema()), badRows,
                (Integer) getOrDefault(getParam(StageParams.IMPORTANCE_SAMPLES)),
                (Long) getOrDefault(getParam("seed")), scoreColumns(), FrameSchema.SOURCE);
    }

    @Override
    public VaeModel copy(ParamMap extra) {
        VaeModel copy = copyValues(new VaeModel(uid, saved), extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this, (spark, path) -> ModelData.write(spark, path, saved));
    }

    public static MLReader<VaeModel> read() {
        return new StageReader<>(VaeModel.class, (spark, path, uid) -> new VaeModel(uid, ModelData.read(spark, path)));
    }

    public static VaeModel load(String path) {
        return read().load(path);
    }

    private VaeModel put(String name, Object value) {
        stage.put(name, value);
        return this;
    }

    public VaeModel setFeaturesCol(String value) {
        return put("featuresCol", value);
    }

    public VaeModel setFeaturesCols(String... value) {
        return put("featuresCols", value);
    }

    public VaeModel setNegElboCol(String value) {
        return put("negElboCol", value);
    }

    public VaeModel setNegLogLikelihoodCol(String value) {
        return put("negLogLikelihoodCol", value);
    }

    public VaeModel setLatentMeanCol(String value) {
        return put("latentMeanCol", value);
    }

    public VaeModel setScoreCol(String value) {
        return put("scoreCol", value);
    }

    public VaeModel setPredictionCol(String value) {
        return put("predictionCol", value);
    }

    public VaeModel setScoreType(String value) {
        return put("scoreType", value);
    }

    public VaeModel setImportanceSamples(int value) {
        return put("importanceSamples", value);
    }

    public VaeModel setSeed(long value) {
        return put("seed", value);
    }

    public VaeModel setBadRows(String value) {
        return put("badRows", value);
    }
}
