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

    @Test
    void anomalyScoresSubtractTheInputsOwnBernoulliCodeLength() {
        Architecture arch = new Architecture(6, List.of(5), 3, Activation.TANH, new Likelihood.Bernoulli(), 1);
        VaeParameters p = VaeParameters.initialise(arch, 3, DataType.FLOAT);
        INDArray x = Nd4j.createFromArray(new float[][] {{0f, 1f, 0.5f, 0.25f, 1f, 0f}, {1f, 0f, 1f, 1f, 0f, 0f}});
        RowScorer.Scores s = new RowScorer(arch, 2).score(p, x, 8, noise(5));
        double[] atMean = new ElboGradient(arch, 2, DataType.FLOAT).negLogLikelihoodPerRow(p, x,
                new ElboGradient(arch, 2, DataType.FLOAT).encode(p, x)[0]);
        // H(x) by hand: a binary row codes in 0 nats; 0.5 costs log 2, 0.25 costs −¼ log ¼ − ¾ log ¾.
        double[] h = {Math.log(2) - 0.25 * Math.log(0.25) - 0.75 * Math.log(0.75), 0};
        for (int i = 0; i < 2; i++) {
            assertEquals(h[i], s.inputEntropy()[i], 1e-6);
            assertEquals(atMean[i], s.reconstructionAtMean()[i], 1e-9);
            assertEquals(s.negLogLikelihood()[i], s.anomaly(AnomalyScore.NLL, i), 0);
            assertEquals(s.negLogLikelihood()[i] - s.inputEntropy()[i], s.anomaly(AnomalyScore.EXCESS, i), 0);
            assertEquals(s.reconstructionAtMean()[i] - s.inputEntropy()[i], s.anomaly(AnomalyScore.RECON, i), 0);
            // No decoder output codes x in fewer nats than H(x), so both excesses are positive.
            assertTrue(s.anomaly(AnomalyScore.RECON, i) > 0 && s.anomaly(AnomalyScore.EXCESS, i) > 0);
        }
    }

    @Test
    void underTheGaussianExcessIsTheNegativeLogLikelihood() {
        Architecture arch = new Architecture(4, List.of(5), 2, Activation.TANH, new Likelihood.Gaussian(true, 0), 1);
        VaeParameters p = VaeParameters.initialise(arch, 3, DataType.FLOAT);
        INDArray x = Nd4j.createFromArray(new float[][] {{0.3f, -1.2f, 0.5f, 2f}});
        RowScorer.Scores s = new RowScorer(arch, 1).score(p, x, 4, noise(5));
        assertEquals(0, s.inputEntropy()[0], 0);
        assertEquals(s.negLogLikelihood()[0], s.anomaly(AnomalyScore.EXCESS, 0), 0);
        assertEquals(s.reconstructionAtMean()[0], s.anomaly(AnomalyScore.RECON, 0), 0);
    }

    private static GaussianNoise noise(long seed) {
        return new GaussianNoise(new SplittableRandom(seed));
    }
}
