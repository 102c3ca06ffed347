package com.sparkvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Under --local-steps auto: the steps grow after the first epoch while Spark's share of a round stays high. */
public class LocalStepsChoiceTest {
    // An epoch of 59 steps in 4 rounds of up to 16 steps.
    private static final long STEPS = 59;
    private static final long ROUNDS = 4;

    @Test
    void roundsThatAreMostlyComputeKeepTheirSteps() {
        LocalStepsChoice c = LocalStepsChoice.choose(16, 32, STEPS, ROUNDS, STEPS, 1.0, 0.98);
        assertEquals(16, c.steps());
        assertEquals(0.02, c.measuredShare(), 1e-12);
        assertEquals(0.02, c.projectedShare(), 1e-12);
    }

    @Test
    void costlyRoundsDoubleTheStepsUpToTheTopOfTheRange() {
        // 50 ms of overhead in each of 4 rounds against 800 ms of compute: 20%; two rounds at 32 steps: 11.1%.
        LocalStepsChoice c = LocalStepsChoice.choose(16, 32, STEPS, ROUNDS, STEPS, 1.0, 0.8);
        assertEquals(32, c.steps());
        assertEquals(0.2, c.measuredShare(), 1e-12);
        assertEquals(0.1 / 0.9, c.projectedShare(), 1e-12);
    }

    @Test
    void theStepsStopGrowingOnceTheProjectedShareMeetsTheTarget() {
        // 10 ms a round against 800 ms of compute: 4.8% at 16 steps already.
        assertEquals(16, LocalStepsChoice.choose(16, 64, STEPS, ROUNDS, STEPS, 0.84, 0.8).steps());
        // 30 ms a round: 13% at 16, 7% at 32 (2 rounds), 3.6% at 64 (one round of the epoch's 59 steps).
        LocalStepsChoice c = LocalStepsChoice.choose(16, 128, STEPS, ROUNDS, STEPS, 0.92, 0.8);
        assertEquals(64, c.steps());
        assertEquals(0.03 / 0.83, c.projectedShare(), 1e-12);
    }

    @Test
    void theProjectionIsForAWholeEpochFromTheRoundsMeasured() {
        // Three measured rounds of 16 steps (the epoch's first left out): 40 ms of overhead each against 10 ms a
        // step. An epoch of 59 steps: 4 rounds at 16 steps, 160 / (160 + 590) = 21%; 2 at 32, 80 / 670 = 12%.
        LocalStepsChoice c = LocalStepsChoice.choose(16, 32, STEPS, 3, 48, 0.6, 0.48);
        assertEquals(32, c.steps());
        assertEquals(0.2, c.measuredShare(), 1e-12);
        assertEquals(0.08 / 0.67, c.projectedShare(), 1e-12);
    }

    @Test
    void aRangeOfOneValueIsNoChoice() {
        assertEquals(8, LocalStepsChoice.choose(8, 8, STEPS, ROUNDS, STEPS, 1.0, 0.1).steps());
        assertThrows(IllegalArgumentException.class, () -> LocalStepsChoice.choose(16, 8, STEPS, ROUNDS, STEPS, 1, 1));
    }
}
