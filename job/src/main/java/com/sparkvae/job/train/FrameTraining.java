package com.sparkvae.job.train;

import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.score.OutlierThreshold;
import com.sparkvae.job.store.EpochMetrics;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.job.store.TrainingState;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Training on a DataFrame the caller holds (Spark ML's {@code fit}): the rows read as {@code train} reads a table,
 * the features' transform fitted to them, and the same rounds from the same initial state, so the same rows, seed
 * and options give the parameters {@code train} gives, and the same outlier threshold. Nothing is written: no run directory, checkpoints or
 * pictures, and no held-out rows.
 */
public final class FrameTraining {
    private FrameTraining() {
    }

    /** The trained model, with each epoch's metrics. */
    public record Fitted(ModelStore.SavedModel model, List<EpochMetrics> epochs) {
    }

    /** Trains on {@code rows}, the features those {@code features} name; {@code source} names them in messages. */
    public static Fitted fit(SparkSession spark, TrainConfig cfg, Dataset<Row> rows, Optional<List<String>> features,
                             String source) {
        RunInputs inputs = RunInputs.fromFrame(spark, cfg, rows, features, source);
        ShardedData train = inputs.train();
        try {
            Trainer trainer = new Trainer(JavaSparkContext.fromSparkContext(spark.sparkContext()), cfg);
            TrainingState start = trainer.initialState(train.dim(), inputs.features());
            Trainer.Result result = trainer.train(train, Optional.empty(), start, new Trainer.Listener() {
                @Override
                public void epochDone(List<EpochMetrics> history) {
                }

                @Override
                public void checkpoint(TrainingState state) {
                }
            });
            ModelStore.SavedModel model = new ModelStore.SavedModel(cfg, train.dim(), result.parameters(),
                    start.features());
            return new Fitted(model.withThreshold(OutlierThreshold.of(spark, train, model)), result.epochs());
        } finally {
            train.unpersist();
        }
    }
}
