package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The outer step of a round: momentum on the averaged update, against the formulas and hand-computed values. */
class OuterOptimizerTest {

    @Test
    void withoutMomentumAtRateOneTheOuterStepIsTheAverageExactly() {
        Random rng = new Random(7);
        float[] start = new float[1000];
        float[] mean = new float[1000];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) rng.nextGaussian();
            mean[i] = start[i] + (float) (0.01 * rng.nextGaussian());
        }
        for (boolean nesterov : new boolean[] {false, true}) {
            float[] next = mean.clone();
            new OuterOptimizer.Momentum(1.0, 0.0, nesterov).stepInPlace(start, next, new float[mean.length]);
            assertArrayEquals(mean, next, "nesterov " + nesterov);
        }
        float[] averaged = mean.clone();
        OuterOptimizer.AVERAGE.stepInPlace(start, averaged, new float[0]);
        assertArrayEquals(mean, averaged);
    }

    @Test
    void thePseudoGradientPointsFromTheMeanBackToTheStart() {
        // The replicas moved from 1 to 0.9: d = x - x̄ = +0.1 goes into the buffer, and the first step lands on the
        // mean (the buffer was empty); moving uphill instead changes every sign.
        float[] buffer = new float[1];
        float[] next = {0.9f};
        new OuterOptimizer.Momentum(1.0, 0.5, false).stepInPlace(new float[] {1f}, next, buffer);
        assertEquals(0.1f, buffer[0], 1e-6f);
        assertEquals(0.9f, next[0], 1e-6f);
        float[] upBuffer = new float[1];
        float[] up = {1.1f};
        new OuterOptimizer.Momentum(1.0, 0.5, false).stepInPlace(new float[] {1f}, up, upBuffer);
        assertEquals(-0.1f, upBuffer[0], 1e-6f);
        assertEquals(1.1f, up[0], 1e-6f);
    }

    @Test
    void twoRoundsByHand() {
        // β = 0.5, α = 1; each round the replicas move 0.1 downhill from where the round starts.
        // Heavy ball: u1 = 0.1, x1 = 1 - 0.1 = 0.9; u2 = 0.05 + 0.1 = 0.15, x2 = 0.9 - 0.15 = 0.75.
        OuterOptimizer heavy = new OuterOptimizer.Momentum(1.0, 0.5, false);
        float[] u = new float[1];
        float[] x1 = {0.9f};
        heavy.stepInPlace(new float[] {1f}, x1, u);
        float[] x2 = {x1[0] - 0.1f};
        heavy.stepInPlace(x1.clone(), x2, u);
        assertEquals(0.75f, x2[0], 1e-6f);
        assertEquals(0.15f, u[0], 1e-6f);
        // Nesterov looks ahead along the new buffer: x1 = 1 - (0.5·0.1 + 0.1) = 0.85,
        // x2 = 0.85 - (0.5·0.15 + 0.1) = 0.675.
        OuterOptimizer nesterov = new OuterOptimizer.Momentum(1.0, 0.5, true);
        float[] v = new float[1];
        float[] y1 = {0.9f};
        nesterov.stepInPlace(new float[] {1f}, y1, v);
        assertEquals(0.85f, y1[0], 1e-6f);
        float[] y2 = {y1[0] - 0.1f};
        nesterov.stepInPlace(y1.clone(), y2, v);
        assertEquals(0.675f, y2[0], 1e-6f);
        // The outer rate scales the whole step: α = 0.5 on the first heavy-ball round lands half way, at 0.95.
        float[] half = {0.9f};
        new OuterOptimizer.Momentum(0.5, 0.5, false).stepInPlace(new float[] {1f}, half, new float[1]);
        assertEquals(0.95f, half[0], 1e-6f);
    }

    @Test
    void onlyMomentumKeepsABuffer() {
        assertTrue(OuterOptimizer.AVERAGE.bufferCount() == 0);
        assertTrue(new OuterOptimizer.Momentum(1, 0.5, true).bufferCount() == 1);
    }
}
