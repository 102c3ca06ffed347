package com.sparkvae.ml;

import com.sparkvae.job.data.SparkSource;
import java.util.Arrays;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The mean negative ELBO of the rows a {@link VaeModel} scored ({@code negElboCol}, default {@code neg_elbo}): the
 * held-out figure {@code train} reports after each epoch, in nats per row. Smaller is better, so
 * {@code CrossValidator} and {@code TrainValidationSplit} keep the Params that give the smallest.
 */
public final class VaeEvaluator extends Evaluator implements MLWritable {
    private final String uid;
    private final Param<String> negElboCol;

    public VaeEvaluator() {
        this(Identifiable$.MODULE$.randomUID("vaeEval"));
    }

    public VaeEvaluator(String uid) {
        this.uid = uid;
        this.negElboCol = TextParams.create(this, StageParams.NEG_ELBO_COL, "The column of each row's negative "
                + "ELBO, as VaeModel writes it.", TextParams.anyText());
        setDefault(negElboCol, "neg_elbo");
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        return new Param<?>[] {negElboCol};
    }

    public VaeEvaluator setNegElboCol(String value) {
        set(negElboCol, value);
        return this;
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
        String column = getOrDefault(negElboCol);
        if (Arrays.stream(dataset.columns()).noneMatch(column::equalsIgnoreCase)) {
            throw new IllegalArgumentException("negElboCol: no column '" + column + "' among "
                    + Arrays.toString(dataset.columns()) + "; evaluate what VaeModel.transform gives");
        }
        Row mean = dataset.agg(functions.avg(SparkSource.column(column)), functions.count(functions.lit(1)))
                .first();
        if (mean.getLong(1) == 0) {
            throw new IllegalArgumentException("the DataFrame to evaluate has no rows");
        }
        return mean.getDouble(0);
    }

    @Override
    public boolean isLargerBetter() {
        return false;
    }

    @Override
    public VaeEvaluator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this, (spark, path) -> { });
    }

    public static MLReader<VaeEvaluator> read() {
        return new StageReader<>(VaeEvaluator.class, (spark, path, uid) -> new VaeEvaluator(uid));
    }

    public static VaeEvaluator load(String path) {
        return read().load(path);
    }
}
