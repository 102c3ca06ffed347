package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The minibatch estimator (N/n) Σ_s ∇(−ELBO(x_{i_s})) is unbiased: its mean over many draws equals the full-data
 * gradient Σ_i ∇(−ELBO(x_i)), both averaged over ε, within the Monte-Carlo error.
 */
class MinibatchEstimatorTest {

    @Test
    void minibatchGradientIsUnbiased() {
        Architecture arch = new Architecture(5, List.of(4), 2, Activation.TANH, new Likelihood.Bernoulli(), 1);
        VaeParameters p = VaeParameters.initialise(arch, 5, DataType.DOUBLE);
        InMemoryShard shard = InMemoryShard.uniform(12, 5, 13);
        int n = 3;
        ShardTrainer trainer = new ShardTrainer(arch, shard.rowCount(), DataType.DOUBLE);

        int draws = 3000;
        RunningMean minibatch = new RunningMean(p.layout().size());
        VaeParameters g = VaeParameters.zeros(p.layout(), DataType.DOUBLE);
        for (int k = 0; k < draws; k++) {
            g.flat().assign(0);
            trainer.sumMinibatchGradient(p, shard, n, new StepCoordinates(1, k, 0), 0, g);
            minibatch.add(g.flat().muli((double) shard.size() / n));
        }
        RunningMean exact = new RunningMean(p.layout().size());
        ElboGradient elbo = new ElboGradient(arch, shard.rowCount(), DataType.DOUBLE);
        INDArray all = shard.asMatrix();
        for (int k = 0; k < draws; k++) {
            g.flat().assign(0);
            elbo.accumulateGradient(p, all, new GaussianNoise(new java.util.SplittableRandom(1000 + k)), g);
            exact.add(g.flat());
        }
        for (int i = 0; i < p.layout().size(); i++) {
            double se = Math.sqrt(minibatch.variance(i) / draws + exact.variance(i) / draws);
            double diff = Math.abs(minibatch.mean(i) - exact.mean(i));
            assertTrue(diff <= 5 * se + 1e-12,
                    "coordinate " + i + ": minibatch mean " + minibatch.mean(i) + ", full " + exact.mean(i)
                            + " (standard error " + se + ")");
        }
    }

    /** Per-coordinate mean and variance, accumulated in double. */
    private static final class RunningMean {
        private final double[] sum;
        private final double[] sumSq;
        private long count;

        RunningMean(long size) {
            sum = new double[(int) size];
            sumSq = new double[(int) size];
        }

        void add(INDArray v) {
            double[] d = v.toDoubleVector();
            for (int i = 0; i < d.length; i++) {
                sum[i] += d[i];
                sumSq[i] += d[i] * d[i];
            }
            count++;
        }

        double mean(int i) {
            return sum[i] / count;
        }

        double variance(int i) {
            double m = mean(i);
            return Math.max(0, sumSq[i] / count - m * m);
        }
    }
}
