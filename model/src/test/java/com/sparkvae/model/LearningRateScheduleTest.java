package com.sparkvae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void aConstantScheduleGivesTheSameRateAtEveryStep() {
        LearningRateSchedule s = LearningRateSchedule.constant(1e-3, 50);
        for (double r : s.rates(0, 50, 1)) {
            assertEquals(1e-3, r);
        }
    }

    @Test
    void theWarmUpRisesLinearlyFromTheBaseRateToThePeak() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 5e-3, 4, 0, 10);
        assertEquals(1e-3, s.rate(0), 1e-15);
        assertEquals(2e-3, s.rate(1), 1e-15);
        assertEquals(4e-3, s.rate(3), 1e-15);
        assertEquals(5e-3, s.rate(4), 1e-15);
        assertEquals(5e-3, s.rate(9), 1e-15);
    }

    @Test
    void theDecayFallsFromThePeakTowardsZeroWithoutReachingIt() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 8e-3, 0, 100, 300);
        assertEquals(8e-3, s.rate(199));
        double previous = s.rate(199);
        for (long step = 200; step < 300; step++) {
            double r = s.rate(step);
            assertTrue(r < previous && r > 0, "step " + step + ": " + r);
            previous = r;
        }
        assertEquals(8e-3 * 0.5 * (1 + Math.cos(Math.PI * 50 / 101.0)), s.rate(249), 1e-15);
        assertTrue(s.rate(299) < 1e-5 * 8, "the last step runs close to 0: " + s.rate(299));
    }

    @Test
    void ratesAreScaledTogetherByTheFactorOfARolledBackRound() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 4e-3, 10, 10, 40);
        double[] halved = s.rates(5, 30, 0.5);
        for (int i = 0; i < halved.length; i++) {
            assertEquals(s.rate(5 + i) / 2, halved[i], 1e-18);
        }
    }

    @Test
    void warmUpAndDecayMustFitInTheRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LearningRateSchedule(1e-3, 2e-3, 6, 5, 10));
        assertTrue(e.getMessage().contains("must fit in the run of 10 steps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 2e-3, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 2e-3, 0, 0, 10));
    }
}
