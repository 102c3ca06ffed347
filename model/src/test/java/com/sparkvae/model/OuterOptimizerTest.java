package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The outer step of a round: SlowMo's update, against the paper's formulas and hand-computed values. */
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
            float[] buffer = new float[mean.length];
            new OuterOptimizer.Momentum(1.0, 0.0, nesterov).stepInPlace(start, next, 3e-3, buffer);
            assertArrayEquals(mean, next, "nesterov " + nesterov);
        }
        float[] averaged = mean.clone();
        OuterOptimizer.AVERAGE.stepInPlace(start, averaged, 3e-3, new float[0]);
        assertArrayEquals(mean, averaged);
    }

    @Test
    void thePseudoGradientPointsFromTheMeanBackToTheStart() {
        // The replicas moved from 1 to 0.9: the pseudo-gradient d = x - x̄ is +0.1, the buffer holds d / γ, and the
        // step goes on downhill, past nothing on the first round (the mean itself) and beyond it after.
        float[] buffer = new float[1];
        float[] next = {0.9f};
        new OuterOptimizer.Momentum(1.0, 0.5, false).stepInPlace(new float[] {1f}, next, 0.01, buffer);
        assertEquals(10f, buffer[0], 1e-4f);
        assertEquals(0.9f, next[0], 1e-6f);
        // Uphill: the replicas moved from 1 to 1.1; everything changes sign.
        float[] up = {1.1f};
        float[] upBuffer = new float[1];
        new OuterOptimizer.Momentum(1.0, 0.5, false).stepInPlace(new float[] {1f}, up, 0.01, upBuffer);
        assertEquals(-10f, upBuffer[0], 1e-4f);
        assertEquals(1.1f, up[0], 1e-6f);
    }

    @Test
    void twoRoundsByHand() {
        // γ = 0.01, β = 0.5, α = 1; each round the replicas move 0.1 downhill.
        // Heavy ball: u1 = 10, x1 = 1 - (0.5·0.01·0 + 0.1) = 0.9; u2 = 0.5·10 + 10 = 15,
        // x2 = 0.9 - (0.5·0.01·10 + 0.1) = 0.75.
        float[] u = new float[1];
        OuterOptimizer heavy = new OuterOptimizer.Momentum(1.0, 0.5, false);
        float[] x1 = {0.9f};
        heavy.stepInPlace(new float[] {1f}, x1, 0.01, u);
        float[] x2 = {x1[0] - 0.1f};
        heavy.stepInPlace(x1.clone(), x2, 0.01, u);
        assertEquals(0.75f, x2[0], 1e-6f);
        assertEquals(15f, u[0], 1e-4f);
        // Nesterov looks ahead with the new buffer: x1 = 1 - (0.5·0.01·10 + 0.1) = 0.85,
        // x2 = 0.85 - (0.5·0.01·15 + 0.1) = 0.675.
        float[] v = new float[1];
        OuterOptimizer nesterov = new OuterOptimizer.Momentum(1.0, 0.5, true);
        float[] y1 = {0.9f};
        nesterov.stepInPlace(new float[] {1f}, y1, 0.01, v);
        assertEquals(0.85f, y1[0], 1e-6f);
        float[] y2 = {y1[0] - 0.1f};
        nesterov.stepInPlace(y1.clone(), y2, 0.01, v);
        assertEquals(0.675f, y2[0], 1e-6f);
        // The outer rate scales the whole step: α = 0.5 on the first heavy-ball round lands half way, at 0.95.
        float[] half = {0.9f};
        new OuterOptimizer.Momentum(0.5, 0.5, false).stepInPlace(new float[] {1f}, half, 0.01, new float[1]);
        assertEquals(0.95f, half[0], 1e-6f);
    }

    @Test
    void theBufferStaysInGradientUnitsAsTheInnerRateChanges() {
        // The same movement at half the rate is twice the gradient: u = d / γ.
        float[] u = new float[1];
        new OuterOptimizer.Momentum(1.0, 0.9, false).stepInPlace(new float[] {1f}, new float[] {0.9f}, 0.005, u);
        assertEquals(20f, u[0], 1e-3f);
        assertTrue(OuterOptimizer.AVERAGE.bufferCount() == 0 && new OuterOptimizer.Momentum(1, 0.5, true)
                .bufferCount() == 1);
    }
}
