package com.sparkvae.job.score;

import com.sparkvae.job.data.RowBlock;
import com.sparkvae.model.Architecture;
import com.sparkvae.model.FeatureTransform;
import com.sparkvae.model.GaussianNoise;
import com.sparkvae.model.HostArrays;
import com.sparkvae.model.Likelihood;
import com.sparkvae.model.ParameterLayout;
import com.sparkvae.model.RandomStreams;
import com.sparkvae.model.RowScorer;
import com.sparkvae.model.VaeParameters;
import java.util.Iterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores rows a batch at a time inside one task: the rows go through the model's {@link FeatureTransform}, and the
 * negative ELBO, −log p(x) and −log p(x | m(x)) come back in the data's own units (the transform's log-Jacobian
 * added under the Gaussian likelihood). Draws come from the scoring stream of (seed, partition).
 */
final class BatchScorer {
    private final RowScorer scorer;
    private final VaeParameters params;
    private final FeatureTransform transform;
    private final GaussianNoise noise;
    private final int samples;
    private final int dim;
    private final double inDataUnits;

    BatchScorer(Architecture arch, float[] parameters, FeatureTransform transform, int samples, long seed,
                int partition) {
        this.scorer = new RowScorer(arch, 256);
        this.params = VaeParameters.copyOf(new ParameterLayout(arch), parameters);
        this.transform = transform;
        this.noise = new GaussianNoise(RandomStreams.stream(seed, RandomStreams.Purpose.SCORING, 0, partition, 0));
        this.samples = samples;
        this.dim = arch.inputDim();
        this.inDataUnits = arch.likelihood() instanceof Likelihood.Gaussian ? transform.logJacobian() : 0;
    }

    /** Rows per batch. */
    int capacity() {
        return scorer.capacity();
    }

    /** Scores the first {@code count} rows of {@code rows} (as read; transformed here, in place). */
    RowScorer.Scores score(float[] rows, int count) {
        transform.applyInPlace(rows, 0, count, dim);
        INDArray x = Nd4j.create(DataType.FLOAT, count, dim);
        HostArrays.copyInto(rows, 0, count * dim, x);
        RowScorer.Scores s = scorer.score(params, x, samples, noise);
        if (inDataUnits != 0) {
            for (int i = 0; i < count; i++) {
                s.negElbo()[i] += inDataUnits;
                s.negLogLikelihood()[i] += inDataUnits;
                s.reconstructionAtMean()[i] += inDataUnits;
            }
        }
        return s;
    }

    /** What is done with each scored row: {@code row} indexes its figures in {@code scores}. */
    interface ScoredRow {
        void accept(RowScorer.Scores scores, int row);
    }

    /** Scores every row of {@code blocks}, in order, a batch at a time, handing each to {@code each}. */
    void scoreAll(Iterator<RowBlock> blocks, ScoredRow each) {
        float[] staging = new float[capacity() * dim];
        while (blocks.hasNext()) {
            RowBlock b = blocks.next();
            for (int start = 0; start < b.rows(); start += capacity()) {
                int count = Math.min(capacity(), b.rows() - start);
                System.arraycopy(b.values(), start * b.dim(), staging, 0, count * b.dim());
                RowScorer.Scores s = score(staging, count);
                for (int i = 0; i < count; i++) {
                    each.accept(s, i);
                }
            }
        }
    }

    static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
