package com.sparkvae.job.score;

import com.sparkvae.job.DataException;
import com.sparkvae.job.data.BadRows;
import com.sparkvae.job.data.RowReader;
import com.sparkvae.model.AnomalyScore;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.RowScorer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalDouble;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The rows of one partition of a table, scored a batch at a time as they stream by: each output row is the input
 * row's kept columns followed by its scores (those {@link Outputs} turns on, in its order). Nothing is cached and
 * nothing goes to the driver.
 */
final class TableScores implements Iterator<Row> {
    private final Iterator<Row> input;
    private final RowReader reader;
    private final BadRows bad;
    private final int[] kept;
    private final Outputs outputs;
    private final BatchScorer scorer;
    private final int dim;
    private final String source;
    private final float[] staging;
    private final List<Object[]> keptValues = new ArrayList<>();
    private final Deque<Row> ready = new ArrayDeque<>();

    /**
     * Which scores follow the kept columns, in this order: the negative ELBO, −log p(x), the latent mean, the anomaly
     * score of {@code type}, and the outlier flag (1.0 where the anomaly score exceeds {@code threshold}, else 0.0).
     */
    record Outputs(boolean negElbo, boolean negLogLikelihood, boolean latentMean, boolean anomalyScore,
                   boolean outlier, AnomalyScore type, double threshold) implements java.io.Serializable {

        /** What {@code score} writes: every score, and the flag when there is a threshold. */
        static Outputs all(AnomalyScore type, OptionalDouble threshold) {
            return new Outputs(true, true, true, true, threshold.isPresent(), type, threshold.orElse(Double.NaN));
        }

        int count() {
            return (negElbo ? 1 : 0) + (negLogLikelihood ? 1 : 0) + (latentMean ? 1 : 0) + (anomalyScore ? 1 : 0)
                    + (outlier ? 1 : 0);
        }

        /** The turned-on fields of {@code all} (typed as {@link ScoreJob#SCORES}), in order. */
        <T> List<T> select(List<T> all) {
            boolean[] on = {negElbo, negLogLikelihood, latentMean, anomalyScore, outlier};
            List<T> out = new ArrayList<>();
            for (int i = 0; i < on.length; i++) {
                if (on[i]) {
                    out.add(all.get(i));
                }
            }
            return out;
        }

        /** Writes row {@code i}'s turned-on scores into {@code out} from index {@code from}. */
        void write(RowScorer.Scores s, int i, Object[] out, int from) {
            int k = from;
            if (negElbo) {
                out[k++] = s.negElbo()[i];
            }
            if (negLogLikelihood) {
                out[k++] = s.negLogLikelihood()[i];
            }
            if (latentMean) {
                out[k++] = BatchScorer.boxed(s.latentMean()[i]);
            }
            if (anomalyScore || outlier) {
                double a = s.anomaly(type, i);
                if (anomalyScore) {
                    out[k++] = a;
                }
                if (outlier) {
                    out[k] = a > threshold ? 1.0 : 0.0;
                }
            }
        }
    }

    TableScores(Iterator<Row> input, RowReader reader, BadRows bad, int[] kept, Outputs outputs, Architecture arch,
                Broadcast<float[]> params, FeatureTransform transform, int samples, long seed, int partition,
                String source) {
        this.input = input;
        this.reader = reader;
        this.bad = bad;
        this.kept = kept;
        this.outputs = outputs;
        this.scorer = new BatchScorer(arch, params.value(), transform, samples, seed, partition);
        this.dim = arch.inputDim();
        this.source = source;
        this.staging = new float[scorer.capacity() * dim];
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && input.hasNext()) {
            fill();
        }
        return !ready.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Reads up to a batch of usable rows, scores them, and queues the output rows. */
    private void fill() {
        keptValues.clear();
        while (keptValues.size() < scorer.capacity() && input.hasNext()) {
            Row row = input.next();
            float[] x = reader.read(row, bad);
            if (x == null) {
                continue;
            }
            if (x.length != dim) {
                throw new DataException(source + ": a row has " + x.length + " feature values but the model reads "
                        + dim);
            }
            System.arraycopy(x, 0, staging, keptValues.size() * dim, dim);
            Object[] values = new Object[kept.length];
            for (int k = 0; k < kept.length; k++) {
                values[k] = row.get(kept[k]);
            }
            keptValues.add(values);
        }
        if (keptValues.isEmpty()) {
            return;
        }
        RowScorer.Scores s = scorer.score(staging, keptValues.size());
        for (int i = 0; i < keptValues.size(); i++) {
            Object[] out = java.util.Arrays.copyOf(keptValues.get(i), kept.length + outputs.count());
            outputs.write(s, i, out, kept.length);
            ready.add(RowFactory.create(out));
        }
    }
}
