package com.sparkvae.job.score;

import com.sparkvae.job.BadRowPolicy;
import com.sparkvae.job.ConfigException;
import com.sparkvae.job.ScaleKind;
import com.sparkvae.job.data.BadRows;
import com.sparkvae.job.data.FeatureColumns;
import com.sparkvae.job.data.RowReader;
import com.sparkvae.job.store.ModelStore;
import com.sparkvae.model.AnomalyScore;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.Likelihood;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame the caller holds (Spark ML's {@code transform}) as {@code score} scores a table: each row keeps
 * every input column, in place, and gains the scores that have a column name ({@link Columns}). Lazy, as a
 * transform must be: nothing runs until the result is used.
 */
public final class FrameScores {
    private FrameScores() {
    }

    /**
     * The names of the appended columns, in the order appended; an empty name leaves that score out. The anomaly
     * score is of {@code scoreType}; the outlier flag ({@code prediction}) is appended only with a threshold.
     */
    public record Columns(String negElbo, String negLogLikelihood, String latentMean, String anomalyScore,
                          String prediction, AnomalyScore scoreType, OptionalDouble threshold) {
        /** The appended columns, typed as {@code score} writes them. */
        public List<StructField> fields() {
            List<String> names = outputs().select(List.of(negElbo, negLogLikelihood, latentMean, anomalyScore,
                    prediction));
            List<StructField> types = outputs().select(ScoreJob.SCORES);
            List<StructField> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                StructField f = types.get(i);
                out.add(new StructField(names.get(i), f.dataType(), f.nullable(), f.metadata()));
            }
            return out;
        }

        TableScores.Outputs outputs() {
            return new TableScores.Outputs(!negElbo.isEmpty(), !negLogLikelihood.isEmpty(), !latentMean.isEmpty(),
                    !anomalyScore.isEmpty(), !prediction.isEmpty() && threshold.isPresent(), scoreType,
                    threshold.orElse(Double.NaN));
        }
    }

    /**
     * {@code rows} with the scores of {@code model} appended: the features read from {@code features}, bad rows
     * treated by {@code badRows}, {@code samples} importance samples per row for −log p(x), draws from
     * {@code seed}; {@code source} names the rows in messages.
     */
    public static Dataset<Row> score(Dataset<Row> rows, ModelStore.SavedModel model, FeatureColumns features,
                                     BadRowPolicy badRows, int samples, long seed, Columns columns, String source) {
        if (badRows == BadRowPolicy.IMPUTE && !model.features().transform().fillsMissing()) {
            throw new ConfigException("badRows: impute fills missing values with the training means, and this "
                    + "model has none (it was trained without bad-rows impute)");
        }
        List<StructField> added = columns.fields();
        if (added.isEmpty()) {
            return rows;
        }
        SparkSession spark = rows.sparkSession();
        StructType in = rows.schema();
        StructType out = in;
        for (StructField f : added) {
            out = out.add(f);
        }
        int[] kept = IntStream.range(0, in.size()).toArray();
        Architecture arch = model.architecture();
        boolean unitInterval = arch.likelihood() instanceof Likelihood.Bernoulli
                && model.features().scaling().equals(ScaleKind.NONE.key());
        RowReader reader = features.readerFor(in, source);
        BadRows bad = new BadRows(spark.sparkContext(), badRows, unitInterval, source);
        // The result may be used any number of times, long after this returns, so the broadcast cannot be destroyed
        // here: Spark's ContextCleaner removes it once nothing refers to it any more.
        Broadcast<float[]> params = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(model.parameters());
        FeatureTransform transform = model.features().transform();
        TableScores.Outputs outputs = columns.outputs();
        JavaRDD<Row> scored = rows.javaRDD().mapPartitionsWithIndex((p, it) -> new TableScores(it, reader, bad,
                kept, outputs, arch, params, transform, samples, seed, p, source), true);
        return spark.createDataFrame(scored, out);
    }
}
