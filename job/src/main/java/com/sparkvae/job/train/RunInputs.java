package com.sparkvae.job.train;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.DataException;
import com.sparkvae.job.InputSpec;
import com.sparkvae.job.LikelihoodKind;
import com.sparkvae.job.ScaleKind;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.data.DataReader;
import com.sparkvae.job.data.FeatureScaling;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.ModelFeatures;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.model.FeatureTransform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's data and the model's features: the training rows and the held-out rows, read with the same feature
 * columns, and the features' transform, either {@code fixed} (by the checkpoint a resumed run continues, or the
 * model a warm start continues, whose columns are then the ones read) or fitted to the training rows'
 * statistics, gathered in the pass that counts them.
 */
record RunInputs(ShardedData train, Optional<ShardedData> test, ModelFeatures features) {
    private static final Logger LOG = LoggerFactory.getLogger(RunInputs.class);

    static RunInputs read(SparkSession spark, TrainConfig cfg, Optional<ModelFeatures> fixed) {
        InputSpec trainSpec = cfg.trainSource();
        if (fixed.isPresent() && !fixed.get().columns().isEmpty() && trainSpec.features().isEmpty()) {
            trainSpec = trainSpec.withFeatures(fixed.get().columns());
        }
        boolean bernoulli = cfg.likelihood() == LikelihoodKind.BERNOULLI;
        String scaling = fixed.map(ModelFeatures::scaling).orElse(cfg.scale().key());
        boolean unitInterval = bernoulli && scaling.equals(ScaleKind.NONE.key());
        boolean fitting = fixed.isEmpty() && (cfg.scale() != ScaleKind.NONE || cfg.badRows() == BadRowPolicy.IMPUTE);
        DataReader reader = new DataReader(spark);
        ShardedData train = reader.read(trainSpec, cfg.partitions(), unitInterval, fitting);
        Optional<ShardedData> test = Optional.empty();
        try {
            ModelFeatures features = fixed.orElseGet(() -> fit(cfg, train, bernoulli));
            if (cfg.testSource().isPresent()) {
                InputSpec t = train.featureColumns().isEmpty() ? cfg.testSource().get()
                        : cfg.testSource().get().withFeatures(train.featureColumns());
                test = Optional.of(reader.read(t, cfg.partitions(), unitInterval, false));
                if (test.get().dim() != train.dim()) {
                    throw new DataException(test.get().source() + ": test rows have " + test.get().dim()
                            + " values but training rows (" + train.source() + ") have " + train.dim());
                }
            }
            for (ShardedData d : test.isPresent() ? List.of(train, test.get()) : List.of(train)) {
                requireFillable(d, features, "this run's training means");
            }
            return new RunInputs(train, test, features);
        } catch (RuntimeException e) {
            train.unpersist();
            test.ifPresent(ShardedData::unpersist);
            throw e;
        }
    }

    /**
     * A DataFrame's rows as a fresh run's training rows, with no held-out rows: read as {@link #read} reads a table
     * (the features {@code features} name), and the features' transform fitted to them.
     */
    static RunInputs fromFrame(SparkSession spark, TrainConfig cfg, Dataset<Row> rows,
                               Optional<List<String>> features, String source) {
        boolean bernoulli = cfg.likelihood() == LikelihoodKind.BERNOULLI;
        boolean unitInterval = bernoulli && cfg.scale() == ScaleKind.NONE;
        boolean fitting = cfg.scale() != ScaleKind.NONE || cfg.badRows() == BadRowPolicy.IMPUTE;
        ShardedData train = new DataReader(spark).readFrame(rows, features, source, cfg.badRows(), cfg.partitions(),
                unitInterval, fitting);
        try {
            ModelFeatures fitted = fit(cfg, train, bernoulli);
            requireFillable(train, fitted, "this run's training means");
            return new RunInputs(train, Optional.empty(), fitted);
        } catch (RuntimeException e) {
            train.unpersist();
            throw e;
        }
    }

    /** A fresh run's features: the columns read, and the transform fitted to the training rows' statistics. */
    private static ModelFeatures fit(TrainConfig cfg, ShardedData train, boolean bernoulli) {
        ScaleKind kind = cfg.scale();
        boolean impute = cfg.badRows() == BadRowPolicy.IMPUTE;
        if (train.stats().isEmpty()) {
            return new ModelFeatures(train.featureColumns(), kind.key(), null, null, null, false);
        }
        List<String> names = train.featureColumns().size() == train.dim() ? train.featureColumns() : List.of();
        FeatureTransform t = FeatureScaling.fit(kind, train.stats().get(), impute, bernoulli, names, train.source());
        if (kind != ScaleKind.NONE) {
            LOG.info("{} scaling of {} features fitted to the training rows{}", kind.key(), train.dim(),
                    impute ? "; missing values filled with their means" : "");
        }
        return ModelFeatures.of(train.featureColumns(), kind, t);
    }

    /** Missing values need the model's means to fill them; a model without them cannot read such rows. */
    static void requireFillable(ShardedData data, ModelFeatures features, String whose) {
        if (data.imputedValues() > 0 && !features.transform().fillsMissing()) {
            throw new DataException(data.source() + ": " + data.imputedValues() + " missing values to impute, but "
                    + whose + " are not there (the model was trained without --bad-rows impute)");
        }
    }

    static ModelFeatures loadFeatures(Path model, Configuration hadoop) {
        try {
            return ModelStore.load(model, hadoop).features();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model, e);
        }
    }
}
