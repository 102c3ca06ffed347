package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Adam's steps equal the formula of Kingma and Ba written out by hand in double precision. */
class AdamTest {

    @Test
    void firstTwoStepsFollowThePaper() {
        Adam adam = new Adam(0.01, 0.9, 0.999, 1e-8);
        float[] theta = {1.0f, -2.0f, 0.5f};
        OptimizerState state = adam.initialState(3);
        // Gradient sums with a scale of 0.5, as the minibatch estimator hands them over.
        float[][] sums = {{0.6f, -0.2f, 4.0f}, {-0.4f, 0.8f, 2.0f}};
        double[] expected = {1.0, -2.0, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= sums.length; t++) {
            for (int i = 0; i < 3; i++) {
                double g = 0.5 * sums[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double stepSize = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                expected[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + 1e-8);
            }
            adam.stepInPlace(theta, sums[t - 1], 0.5, state);
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], theta[i], 1e-6, "parameter " + i + " after step " + t);
            }
        }
        assertEquals(2, state.iteration());
        for (int i = 0; i < 3; i++) {
            assertEquals(m[i], state.momentsRef().get(0)[i], 1e-7);
            assertEquals(v[i], state.momentsRef().get(1)[i], 1e-7);
        }
    }

    @Test
    void sgdStepsAgainstTheScaledGradient() {
        Sgd sgd = new Sgd(0.5);
        float[] theta = {1.0f, 2.0f};
        sgd.stepInPlace(theta, new float[] {0.4f, -8.0f}, 0.5, sgd.initialState(2));
        assertArrayEquals(new float[] {0.9f, 4.0f}, theta, 1e-6f);
    }
}
