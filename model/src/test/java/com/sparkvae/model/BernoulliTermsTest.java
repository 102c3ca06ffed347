package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The single-precision Bernoulli terms agree with double-precision softplus and σ wherever a logit may fall. */
class BernoulliTermsTest {
    /** Logits from −100 to 100 every 0.001, and the edges: zeros, tiny, where e^{−|l|} is clamped, and huge. */
    private static float[] logits() {
        float[] edges = {0f, -0f, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 86.9f, -86.9f, 87f, -87f, 88f, -88f, 200f, -200f,
            3e38f, -3e38f};
        int sweep = 200_001;
        float[] l = new float[sweep + edges.length];
        for (int k = 0; k < sweep; k++) {
            l[k] = (float) (-100 + k * 1e-3);
        }
        System.arraycopy(edges, 0, l, sweep, edges.length);
        return l;
    }

    private static double softplus(double l) {
        return Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
    }

    private static double sigmoid(double l) {
        return l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
    }

    @Test
    void softplusIsWithinThreeTenMillionthsOfDoublePrecisionOrTwoE38Absolutely() {
        float[] l = logits();
        float[] x = new float[l.length];              // x = 0: the terms are softplus(l) itself
        float[] terms = new float[l.length];
        new BernoulliTerms(l.length).lossTerms(l, x, l.length, terms);
        for (int k = 0; k < l.length; k++) {
            double exact = softplus(l[k]);
            assertTrue(Math.abs(terms[k] - exact) <= 3e-7 * exact + 2e-38,
                    "softplus(" + l[k] + ") = " + terms[k] + ", exactly " + exact);
        }
    }

    @Test
    void gradientIsScaledSigmoidMinusDataWithinTwoTenMillionths() {
        float[] l = logits();
        float[] x = new float[l.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = (k % 5) / 4f;
        }
        float[] gradient = new float[l.length];
        new BernoulliTerms(l.length).lossAndGradient(l, x, l.length, 0.5f, gradient);
        for (int k = 0; k < l.length; k++) {
            double exact = 0.5 * (sigmoid(l[k]) - x[k]);
            assertEquals(exact, gradient[k], 2e-7, "at l = " + l[k] + ", x = " + x[k]);
        }
    }

    @Test
    void lossSumsSoftplusMinusDataTimesLogitOverTheFirstCountElements() {
        float[] l = {2f, -1f, 0.5f, 40f, 7f};
        float[] x = {1f, 0f, 0.25f, 1f, 1f};
        double exact = 0;
        for (int k = 0; k < 4; k++) {
            exact += softplus(l[k]) - x[k] * l[k];
        }
        assertEquals(exact, new BernoulliTerms(8).lossAndGradient(l, x, 4, 1f, null), 1e-5);
    }
}
