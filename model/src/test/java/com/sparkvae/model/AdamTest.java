package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adam's steps equal the formula of Kingma and Ba written out by hand. */
class AdamTest {

    @Test
    void firstTwoStepsFollowThePaper() {
        Adam adam = new Adam(0.01, 0.9, 0.999, 1e-8);
        INDArray theta = Nd4j.createFromArray(1.0, -2.0, 0.5);
        OptimizerState state = adam.initialState(3, DataType.DOUBLE);
        double[][] grads = {{0.3, -0.1, 2.0}, {-0.2, 0.4, 1.0}};
        double[] expected = {1.0, -2.0, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < 3; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double stepSize = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                expected[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + 1e-8);
            }
            adam.stepInPlace(theta, Nd4j.createFromArray(grads[t - 1]), state);
            assertArrayEquals(expected, theta.toDoubleVector(), 1e-12, "after step " + t);
        }
        assertEquals(2, state.iteration());
        assertArrayEquals(m, state.moments().get(1).toDoubleVector(), 1e-12);
        assertArrayEquals(v, state.moments().get(0).toDoubleVector(), 1e-12);
    }

    @Test
    void sgdStepsAgainstTheGradient() {
        Sgd sgd = new Sgd(0.5);
        INDArray theta = Nd4j.createFromArray(1.0, 2.0);
        sgd.stepInPlace(theta, Nd4j.createFromArray(0.2, -4.0), sgd.initialState(2, DataType.DOUBLE));
        assertArrayEquals(new double[] {0.9, 4.0}, theta.toDoubleVector(), 1e-12);
    }
}
