package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The analytic KL term equals a Monte-Carlo estimate of E_q[log q(t) − log p(t)]. */
class KlTermTest {

    @Test
    void analyticKlMatchesMonteCarlo() {
        Architecture arch = new Architecture(5, List.of(4), 3, Activation.TANH, new Likelihood.Bernoulli(), 1);
        VaeParameters p = VaeParameters.initialise(arch, 3, DataType.DOUBLE);
        // Spread the encoder's outputs so the KL is far from zero.
        p.flat().muli(3);
        INDArray x = ElboGradientTest.uniformData(1, 5, 9);
        ElboGradient elbo = new ElboGradient(arch, 1, DataType.DOUBLE);
        double analytic = elbo.evaluate(p, x, new GaussianNoise(new SplittableRandom(1))).kl();

        INDArray[] encoded = elbo.encode(p, x);
        double[] m = encoded[0].toDoubleVector();
        double[] v = encoded[1].toDoubleVector();
        SplittableRandom random = new SplittableRandom(11);
        int draws = 400_000;
        double sum = 0;
        double sumSq = 0;
        for (int k = 0; k < draws; k++) {
            double logRatio = 0;
            for (int j = 0; j < m.length; j++) {
                double s = Math.exp(0.5 * v[j]);
                double eps = random.nextGaussian();
                double t = m[j] + s * eps;
                // log q(t) − log p(t), the 2π terms cancelling.
                logRatio += -Math.log(s) - 0.5 * eps * eps + 0.5 * t * t;
            }
            sum += logRatio;
            sumSq += logRatio * logRatio;
        }
        double mean = sum / draws;
        double standardError = Math.sqrt((sumSq / draws - mean * mean) / draws);
        assertEquals(mean, analytic, 5 * standardError, "Monte-Carlo KL " + mean + " ± " + standardError);
    }
}
