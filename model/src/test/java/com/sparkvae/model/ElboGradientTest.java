package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The analytic gradient of −ELBO equals central finite differences, in double precision, for every parameter; single
 * precision, which the product trains in, agrees with double.
 */
class ElboGradientTest {
    private static final int ROWS = 4;

    @Test
    void bernoulliGradientMatchesFiniteDifferences() {
        Architecture arch = new Architecture(6, List.of(5, 4), 3, Activation.TANH, new Likelihood.Bernoulli(), 2);
        checkGradient(arch, uniformData(ROWS, 6, 1));
    }

    @Test
    void gaussianGradientWithLearnedVarianceMatchesFiniteDifferences() {
        Architecture arch = new Architecture(6, List.of(5), 3, Activation.ELU, new Likelihood.Gaussian(true, 0.3), 1);
        checkGradient(arch, normalData(ROWS, 6, 2));
    }

    @Test
    void gaussianGradientWithFixedVarianceMatchesFiniteDifferences() {
        Architecture arch = new Architecture(5, List.of(4), 2, Activation.TANH, new Likelihood.Gaussian(false, -0.5), 3);
        checkGradient(arch, normalData(ROWS, 5, 3));
    }

    @Test
    void reluGradientMatchesFiniteDifferences() {
        Architecture arch = new Architecture(6, List.of(7), 3, Activation.RELU, new Likelihood.Bernoulli(), 1);
        checkGradient(arch, uniformData(ROWS, 6, 4));
    }

    @Test
    void networkWithoutHiddenLayersMatchesFiniteDifferences() {
        Architecture arch = new Architecture(4, List.of(), 2, Activation.RELU, new Likelihood.Bernoulli(), 1);
        checkGradient(arch, uniformData(ROWS, 4, 5));
    }

    @Test
    void bernoulliLossStaysFiniteForHugeLogits() {
        Architecture arch = new Architecture(3, List.of(), 1, Activation.RELU, new Likelihood.Bernoulli(), 1);
        VaeParameters p = VaeParameters.initialise(arch, 1, DataType.FLOAT);
        ParameterLayout layout = p.layout();
        p.bias(layout.output()).assign(Nd4j.createFromArray(new float[][] {{200f, -200f, 0f}}));
        p.weights(layout.output()).assign(0);
        INDArray x = Nd4j.createFromArray(new float[][] {{1f, 0f, 1f}});
        LossSums sums = new ElboGradient(arch, 1, DataType.FLOAT).evaluate(p, x, noise(0));
        // −log p = softplus(200) − 200 + softplus(−200) + softplus(0) − 0 ≈ log 2.
        assertEquals(Math.log(2), sums.reconstruction(), 1e-4);
    }

    @Test
    void writingTheGradientReplacesWhatTheBufferHeld() {
        // Two draws of t per point and a learned variance: every parameter kind, and decoder products repeated.
        Architecture arch = new Architecture(6, List.of(5), 3, Activation.ELU, new Likelihood.Gaussian(true, 0.3), 2);
        INDArray x = normalData(ROWS, 6, 8);
        VaeParameters p = VaeParameters.initialise(arch, 9, DataType.DOUBLE);
        ElboGradient elbo = new ElboGradient(arch, ROWS, DataType.DOUBLE);
        VaeParameters added = VaeParameters.zeros(p.layout(), DataType.DOUBLE);
        elbo.accumulateGradient(p, x, noise(3), added);
        VaeParameters written = VaeParameters.zeros(p.layout(), DataType.DOUBLE);
        written.flat().assign(123.0);
        elbo.writeGradient(p, x, noise(3), written);
        for (long i = 0; i < added.flat().length(); i++) {
            assertEquals(added.flat().getDouble(i), written.flat().getDouble(i), 1e-12, "parameter " + i);
        }
    }

    @Test
    void singlePrecisionBernoulliAgreesWithDoublePrecision() {
        // The product trains in floats, through a loss kernel of its own; the finite differences above check doubles.
        Architecture arch = new Architecture(30, List.of(12), 3, Activation.RELU, new Likelihood.Bernoulli(), 2);
        INDArray x = uniformData(ROWS, 30, 11);
        VaeParameters p = VaeParameters.initialise(arch, 5, DataType.DOUBLE);
        VaeParameters g = VaeParameters.zeros(p.layout(), DataType.DOUBLE);
        LossSums exact = new ElboGradient(arch, ROWS, DataType.DOUBLE).writeGradient(p, x, noise(4), g);

        VaeParameters pf = VaeParameters.zeros(p.layout(), DataType.FLOAT);
        pf.flat().assign(p.flat());
        VaeParameters gf = VaeParameters.zeros(p.layout(), DataType.FLOAT);
        LossSums single = new ElboGradient(arch, ROWS, DataType.FLOAT)
                .writeGradient(pf, x.castTo(DataType.FLOAT), noise(4), gf);

        assertEquals(exact.reconstruction(), single.reconstruction(), 1e-5 * Math.abs(exact.reconstruction()));
        assertEquals(exact.kl(), single.kl(), 1e-5 * Math.abs(exact.kl()));
        for (long i = 0; i < g.flat().length(); i++) {
            double e = g.flat().getDouble(i);
            assertEquals(e, gf.flat().getDouble(i), 1e-5 * Math.max(1, Math.abs(e)), "parameter " + i);
        }
    }

    private static void checkGradient(Architecture arch, INDArray x) {
        VaeParameters p = VaeParameters.initialise(arch, 42, DataType.DOUBLE);
        ElboGradient elbo = new ElboGradient(arch, ROWS + 2, DataType.DOUBLE);
        VaeParameters analytic = VaeParameters.zeros(p.layout(), DataType.DOUBLE);
        elbo.accumulateGradient(p, x, noise(7), analytic);

        double h = 1e-6;
        INDArray flat = p.flat();
        for (long i = 0; i < flat.length(); i++) {
            double original = flat.getDouble(i);
            flat.putScalar(i, original + h);
            double plus = elbo.evaluate(p, x, noise(7)).negElbo();
            flat.putScalar(i, original - h);
            double minus = elbo.evaluate(p, x, noise(7)).negElbo();
            flat.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            double exact = analytic.flat().getDouble(i);
            double scale = Math.max(1.0, Math.abs(numeric) + Math.abs(exact));
            assertTrue(Math.abs(numeric - exact) / scale < 1e-6,
                    "parameter " + i + ": analytic " + exact + ", finite difference " + numeric);
        }
    }

    private static GaussianNoise noise(long seed) {
        return new GaussianNoise(new SplittableRandom(seed));
    }

    static INDArray uniformData(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextDouble();
            }
        }
        return Nd4j.createFromArray(v);
    }

    private static INDArray normalData(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] v = new double[rows][cols];
        for (double[] row : v) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return Nd4j.createFromArray(v);
    }
}
