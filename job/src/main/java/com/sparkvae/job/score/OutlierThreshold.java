package com.sparkvae.job.score;

import com.sparkvae.job.ScoreSettings;
import com.sparkvae.job.TrainConfig;
import com.sparkvae.job.data.RowBlock;
import com.sparkvae.job.data.ShardedData;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.model.AnomalyScore;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.FeatureTransform;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The outlier threshold of a model trained with a contamination c (as LinkedIn's isolation-forest sets its own):
 * the (1 − c) quantile of the training rows' anomaly scores, of the model's score type, by Spark's
 * {@code approxQuantile} with the model's contamination error as its relative error. A row whose score exceeds it
 * is an outlier, so about a fraction c of the training rows are.
 *
 * <p>The scores are those {@code score} gives with its default {@code --samples} (importance samples per row for
 * −log p(x)) and the run's seed for the draws.
 */
public final class OutlierThreshold {

    private OutlierThreshold() {
    }

    /** The threshold for {@code model} on its training rows, or none when its contamination is 0. */
    public static OptionalDouble of(SparkSession spark, ShardedData rows, ModelStore.SavedModel model) {
        TrainConfig cfg = model.config();
        if (cfg.contamination() == 0) {
            return OptionalDouble.empty();
        }
        Architecture arch = model.architecture();
        FeatureTransform transform = model.features().transform();
        AnomalyScore type = cfg.scoreType();
        int samples = ScoreSettings.SAMPLES.parse(ScoreSettings.SAMPLES.defaultText());
        long seed = cfg.seed();
        Broadcast<float[]> params = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(model.parameters());
        try {
            JavaRDD<Row> scores = rows.blocks().mapPartitionsWithIndex((p, it) -> scoresOf(it, arch, params,
                    transform, type, samples, seed, p), true);
            StructType schema = new StructType().add("score", DataTypes.DoubleType, false);
            double[] q = spark.createDataFrame(scores, schema).stat().approxQuantile("score",
                    new double[] {1 - cfg.contamination()}, cfg.contaminationError());
            return OptionalDouble.of(q[0]);
        } finally {
            params.destroy();
        }
    }

    private static Iterator<Row> scoresOf(Iterator<RowBlock> blocks, Architecture arch, Broadcast<float[]> params,
                                          FeatureTransform transform, AnomalyScore type, int samples, long seed,
                                          int partition) {
        BatchScorer scorer = new BatchScorer(arch, params.value(), transform, samples, seed, partition);
        List<Row> out = new ArrayList<>();
        scorer.scoreAll(blocks, (s, i) -> out.add(RowFactory.create(s.anomaly(type, i))));
        return out.iterator();
    }
}
