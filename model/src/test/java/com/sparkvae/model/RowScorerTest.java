package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RowScorerTest {

    @Test
    void perRowNegativeElbosAddUpToTheBlockSum() {
        Architecture arch = new Architecture(6, List.of(5), 3, Activation.TANH, new Likelihood.Bernoulli(), 1);
        VaeParameters p = VaeParameters.initialise(arch, 3, DataType.FLOAT);
        INDArray x = ElboGradientTest.uniformData(4, 6, 8).castTo(DataType.FLOAT);
        double[] rows = new RowScorer(arch, 4).score(p, x, 1, noise(5)).negElbo();
        double block = new ElboGradient(arch, 4, DataType.FLOAT).evaluate(p, x, noise(5)).negElbo();
        double sum = 0;
        for (double r : rows) {
            sum += r;
        }
        assertEquals(block, sum, 1e-3);
    }

    @Test
    void importanceSampledLikelihoodConvergesToTheExactOne() {
        // One latent dimension and no hidden layer: p(x) = ∫ p(x|t) N(t; 0, 1) dt by quadrature is exact enough.
        Architecture arch = new Architecture(3, List.of(), 1, Activation.RELU, new Likelihood.Bernoulli(), 1);
        VaeParameters p = VaeParameters.initialise(arch, 11, DataType.FLOAT);
        p.flat().muli(2);
        // A fixed proposal q = N(−1, 1.3²), wider than the prior and near the posterior, so the importance weights
        // are bounded and 20,000 of them pin log p(x) down to about a hundredth of a nat.
        p.weights(p.layout().meanHead()).assign(0);
        p.bias(p.layout().meanHead()).assign(-1.0);
        p.weights(p.layout().logVarianceHead()).assign(0);
        p.bias(p.layout().logVarianceHead()).assign(Math.log(1.69));
        INDArray x = Nd4j.createFromArray(new float[][] {{1f, 0f, 1f}});
        int grid = 4001;
        INDArray xs = Nd4j.create(DataType.FLOAT, grid, 3);
        xs.addiRowVector(x);
        INDArray ts = Nd4j.create(DataType.FLOAT, grid, 1);
        double h = 20.0 / (grid - 1);
        for (int i = 0; i < grid; i++) {
            ts.putScalar(i, 0, -10 + i * h);
        }
        double[] nll = new ElboGradient(arch, grid, DataType.FLOAT).negLogLikelihoodPerRow(p, xs, ts);
        double integral = 0;
        for (int i = 0; i < grid; i++) {
            double t = -10 + i * h;
            integral += Math.exp(-nll[i]) * Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI) * h;
        }
        double exact = -Math.log(integral);

        RowScorer scorer = new RowScorer(arch, 1);
        double iwae = scorer.score(p, x, 20_000, noise(1)).negLogLikelihood()[0];
        assertEquals(exact, iwae, 0.02);
        double elbo = 0;
        int draws = 2000;
        for (int k = 0; k < draws; k++) {
            elbo += scorer.score(p, x, 1, noise(100 + k)).negElbo()[0] / draws;
        }
        assertTrue(elbo > exact, "the negative ELBO bounds −log p(x) from above: " + elbo + " vs " + exact);
    }

    private static GaussianNoise noise(long seed) {
        return new GaussianNoise(new SplittableRandom(seed));
    }
}
